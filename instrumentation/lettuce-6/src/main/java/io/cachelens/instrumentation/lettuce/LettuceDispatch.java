package io.cachelens.instrumentation.lettuce;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.PendingCommand;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.api.StateCarrier;
import java.util.ArrayList;
import java.util.Collection;

/**
 * What the dispatch advice in {@code DefaultEndpoint} does, out of line: the advice works out only
 * what needs Lettuce's types (whether a command is queued in MULTI, opens or ends a transaction)
 * and hands off here. Small advice keeps the transformation of {@code DefaultEndpoint} cheap at
 * start-up. Loaded from the agent jar on the bootstrap class path; never references a Lettuce type.
 *
 * <p>Runs on the thread that dispatches the command. The endpoint's transaction list is only
 * touched by that thread, as Lettuce requires of a connection in MULTI.
 */
public final class LettuceDispatch {
  /** A command with no meaning for transactions. */
  public static final int PLAIN = 0;

  /**
   * Queued between MULTI and EXEC: Lettuce wraps exactly these in a {@code TransactionalCommand}.
   */
  public static final int QUEUED = 1;

  /** MULTI. */
  public static final int MULTI = 2;

  /** EXEC or DISCARD. */
  public static final int TRANSACTION_END = 3;

  private LettuceDispatch() {}

  /**
   * {@code DefaultEndpoint.write(RedisCommand)}: the start of one command, remembered on the
   * command as a {@link PendingCommand}.
   *
   * @param kind {@link #PLAIN}, {@link #QUEUED}, {@link #MULTI} or {@link #TRANSACTION_END}
   * @param transaction the endpoint's list of the commands queued since the last MULTI, or null
   * @return the endpoint's list from now on
   */
  @SuppressWarnings("unchecked")
  public static Object written(
      Object endpoint,
      Object command,
      boolean autoFlush,
      boolean inActivation,
      int kind,
      Object transaction) {
    Object connectionState = ((StateCarrier) endpoint).cachelens$getState();
    if (!(connectionState instanceof RedisConnection) || !(command instanceof StateCarrier)) {
      return transaction;
    }
    StateCarrier carrier = (StateCarrier) command;
    if (carrier.cachelens$getState() != null) {
      // Re-written after a failed write (RetryListener): keep the original start.
      return transaction;
    }
    RedisConnection connection = (RedisConnection) connectionState;
    int flags = autoFlush ? 0 : CommandFlags.PIPELINED;
    if (inActivation || RedisEvents.internal()) {
      flags |= CommandFlags.INTERNAL;
    }
    int batchSize = 0;
    if (kind == QUEUED) {
      // Sized at EXEC.
      flags |= CommandFlags.TRANSACTION;
      if (transaction instanceof ArrayList) {
        ((ArrayList<Object>) transaction).add(command);
      }
    } else if (kind == MULTI) {
      // MULTI usually completes before its transaction's size is known: batch size 0.
      flags |= CommandFlags.TRANSACTION;
      transaction = new ArrayList<Object>();
    } else if (kind == TRANSACTION_END && transaction instanceof ArrayList) {
      ArrayList<Object> queued = (ArrayList<Object>) transaction;
      transaction = null;
      flags |= CommandFlags.TRANSACTION;
      batchSize = queued.size();
      for (int i = 0; i < batchSize; i++) {
        Object element = queued.get(i);
        if (element instanceof StateCarrier) {
          StateCarrier queuedCarrier = (StateCarrier) element;
          Object pending = queuedCarrier.cachelens$getState();
          if (pending instanceof PendingCommand) {
            PendingCommand p = (PendingCommand) pending;
            queuedCarrier.cachelens$setState(
                new PendingCommand(
                    p.connection(), p.startNanos(), p.callerContext(), p.flags(), batchSize));
          }
        }
      }
    }
    // The context first: it may walk the caller's stack, which is not the command's latency.
    Object context = RedisEvents.sink().captureContext(connection, command);
    carrier.cachelens$setState(
        new PendingCommand(connection, System.nanoTime(), context, flags, batchSize));
    return transaction;
  }

  /**
   * {@code DefaultEndpoint.write(Collection)}: a batch dispatched at once ({@code
   * StatefulConnection.dispatch(Collection)}), flagged PIPELINED with the batch size.
   *
   * @param queuedType Lettuce's {@code TransactionalCommand} class: its instances are queued in
   *     MULTI
   */
  public static void writtenAll(
      Object endpoint,
      Collection<?> commands,
      boolean autoFlush,
      boolean inActivation,
      Class<?> queuedType) {
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
              queuedType.isInstance(command) ? flags | CommandFlags.TRANSACTION : flags;
          carrier.cachelens$setState(
              new PendingCommand(connection, start, context, commandFlags, batchSize));
        }
      }
    }
  }

  /**
   * {@code DefaultEndpoint.writeToChannelAndFlush}: commands leaving the client's buffers together,
   * from {@code flushCommands()} or the reconnect flush of commands queued while disconnected. A
   * pipelined command learns its batch size here, and a command queued while disconnected the
   * connection it is finally sent on.
   */
  public static void flushing(Object endpoint, Collection<?> commands) {
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
