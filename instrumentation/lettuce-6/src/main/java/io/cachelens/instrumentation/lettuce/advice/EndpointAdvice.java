package io.cachelens.instrumentation.lettuce.advice;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.PendingCommand;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.api.StateCarrier;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;
import java.util.ArrayList;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * Dispatch: advice inlined into {@code io.lettuce.core.protocol.DefaultEndpoint}, which every
 * standalone, Pub/Sub and cluster-node connection writes through (after {@code
 * CommandExpiryWriter}, {@code CommandListenerWriter}, …, which delegate to it on the caller's
 * thread).
 *
 * <p>The endpoint carries, through {@link StateCarrier}, the {@link RedisConnection} of its current
 * channel (or, before the first connect, a {@code ConnectionRequest} for the {@code RedisURI} it
 * was built for), and in {@code cachelens$txn} the commands queued since the last MULTI.
 *
 * <p>Inlined code: may reference only Lettuce, Netty, the JDK and the bootstrap API package.
 */
public final class EndpointAdvice {
  private EndpointAdvice() {}

  /** {@code DefaultEndpoint.write(RedisCommand)}: the start of one command. */
  public static final class Write {
    private Write() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    @SuppressWarnings("unchecked")
    static void enter(
        @Advice.This Object endpoint,
        @Advice.Argument(0) RedisCommand<?, ?, ?> command,
        @Advice.FieldValue("autoFlushCommands") boolean autoFlush,
        @Advice.FieldValue("inActivation") boolean inActivation,
        @Advice.FieldValue(value = "cachelens$txn", readOnly = false) Object txn) {
      Object connectionState = ((StateCarrier) endpoint).cachelens$getState();
      if (!(connectionState instanceof RedisConnection) || !(command instanceof StateCarrier)) {
        return;
      }
      StateCarrier carrier = (StateCarrier) command;
      if (carrier.cachelens$getState() != null) {
        // Re-written after a failed write (RetryListener): keep the original start.
        return;
      }
      RedisConnection connection = (RedisConnection) connectionState;
      int flags = autoFlush ? 0 : CommandFlags.PIPELINED;
      if (inActivation || RedisEvents.internal()) {
        flags |= CommandFlags.INTERNAL;
      }
      int batchSize = 0;
      if (command instanceof TransactionalCommand) {
        // Queued between MULTI and EXEC (Lettuce wraps exactly these); sized at EXEC.
        flags |= CommandFlags.TRANSACTION;
        if (txn instanceof ArrayList) {
          ((ArrayList<Object>) txn).add(command);
        }
      } else {
        ProtocolKeyword type = command.getType();
        if (type == CommandType.MULTI) {
          // MULTI usually completes before its transaction's size is known: batch size 0.
          flags |= CommandFlags.TRANSACTION;
          txn = new ArrayList<Object>();
        } else if ((type == CommandType.EXEC || type == CommandType.DISCARD)
            && txn instanceof ArrayList) {
          ArrayList<Object> list = (ArrayList<Object>) txn;
          txn = null;
          flags |= CommandFlags.TRANSACTION;
          int size = list.size();
          batchSize = size;
          for (int i = 0; i < size; i++) {
            Object element = list.get(i);
            if (element instanceof StateCarrier) {
              StateCarrier queuedCarrier = (StateCarrier) element;
              Object pending = queuedCarrier.cachelens$getState();
              if (pending instanceof PendingCommand) {
                PendingCommand p = (PendingCommand) pending;
                queuedCarrier.cachelens$setState(
                    new PendingCommand(
                        p.connection(), p.startNanos(), p.callerContext(), p.flags(), size));
              }
            }
          }
        }
      }
      // The context first: it may walk the caller's stack, which is not the command's latency.
      Object context = RedisEvents.sink().captureContext(connection, command);
      carrier.cachelens$setState(
          new PendingCommand(connection, System.nanoTime(), context, flags, batchSize));
    }
  }

  /**
   * {@code DefaultEndpoint.write(Collection)}: a batch dispatched at once ({@code
   * StatefulConnection.dispatch(Collection)}); flagged PIPELINED with the batch size.
   */
  public static final class WriteAll {
    private WriteAll() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object endpoint,
        @Advice.Argument(0) Collection<?> commands,
        @Advice.FieldValue("autoFlushCommands") boolean autoFlush,
        @Advice.FieldValue("inActivation") boolean inActivation) {
      Object connectionState = ((StateCarrier) endpoint).cachelens$getState();
      if (!(connectionState instanceof RedisConnection) || commands == null) {
        return;
      }
      RedisConnection connection = (RedisConnection) connectionState;
      int flags = CommandFlags.PIPELINED;
      if (inActivation || RedisEvents.internal()) {
        flags |= CommandFlags.INTERNAL;
      }
      // With auto-flush on, this call writes and flushes exactly these commands.
      int batchSize = autoFlush ? commands.size() : 0;
      Object context = RedisEvents.sink().captureContext();
      long start = System.nanoTime();
      for (Object command : commands) {
        if (command instanceof StateCarrier) {
          StateCarrier carrier = (StateCarrier) command;
          if (carrier.cachelens$getState() == null) {
            int commandFlags =
                command instanceof TransactionalCommand ? flags | CommandFlags.TRANSACTION : flags;
            carrier.cachelens$setState(
                new PendingCommand(connection, start, context, commandFlags, batchSize));
          }
        }
      }
    }
  }

  /**
   * {@code DefaultEndpoint.writeToChannelAndFlush(Collection)} (6.1–6.7): commands leaving the
   * client's buffers together, from {@code flushCommands()} or the reconnect flush of commands
   * queued while disconnected.
   */
  public static final class FlushBatch {
    private FlushBatch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object endpoint, @Advice.Argument(0) Collection<?> commands) {
      Object connectionState = ((StateCarrier) endpoint).cachelens$getState();
      if (!(connectionState instanceof RedisConnection) || commands == null) {
        return;
      }
      RedisConnection connection = (RedisConnection) connectionState;
      int size = commands.size();
      for (Object command : commands) {
        if (command instanceof StateCarrier) {
          StateCarrier carrier = (StateCarrier) command;
          Object state = carrier.cachelens$getState();
          if (state instanceof PendingCommand) {
            PendingCommand p = (PendingCommand) state;
            boolean sizeBatch = (p.flags() & CommandFlags.PIPELINED) != 0 && p.batchSize() == 0;
            if (sizeBatch || p.connection() != connection) {
              carrier.cachelens$setState(
                  new PendingCommand(
                      connection,
                      p.startNanos(),
                      p.callerContext(),
                      p.flags(),
                      sizeBatch ? size : p.batchSize()));
            }
          }
        }
      }
    }
  }

  /** {@code DefaultEndpoint.writeToChannelAndFlush(Channel, Collection)} (6.8+): as above. */
  public static final class FlushBatchOnChannel {
    private FlushBatchOnChannel() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object endpoint, @Advice.Argument(1) Collection<?> commands) {
      Object connectionState = ((StateCarrier) endpoint).cachelens$getState();
      if (!(connectionState instanceof RedisConnection) || commands == null) {
        return;
      }
      RedisConnection connection = (RedisConnection) connectionState;
      int size = commands.size();
      for (Object command : commands) {
        if (command instanceof StateCarrier) {
          StateCarrier carrier = (StateCarrier) command;
          Object state = carrier.cachelens$getState();
          if (state instanceof PendingCommand) {
            PendingCommand p = (PendingCommand) state;
            boolean sizeBatch = (p.flags() & CommandFlags.PIPELINED) != 0 && p.batchSize() == 0;
            if (sizeBatch || p.connection() != connection) {
              carrier.cachelens$setState(
                  new PendingCommand(
                      connection,
                      p.startNanos(),
                      p.callerContext(),
                      p.flags(),
                      sizeBatch ? size : p.batchSize()));
            }
          }
        }
      }
    }
  }
}
