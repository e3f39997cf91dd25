package io.cachelens.instrumentation.lettuce.advice;

import io.cachelens.instrumentation.lettuce.LettuceDispatch;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;
import java.util.Collection;
import net.bytebuddy.asm.Advice;

/**
 * Dispatch: advice inlined into {@code io.lettuce.core.protocol.DefaultEndpoint}, which every
 * standalone, Pub/Sub and cluster-node connection writes through (after {@code
 * CommandExpiryWriter}, {@code CommandListenerWriter}, …, which delegate to it on the caller's
 * thread). Each hook hands off to {@link LettuceDispatch}.
 *
 * <p>The endpoint carries, through {@code StateCarrier}, the {@code RedisConnection} of its current
 * channel (or, before the first connect, a {@code ConnectionRequest} for the {@code RedisURI} it
 * was built for), and in {@code cachelens$txn} the commands queued since the last MULTI.
 *
 * <p>Inlined code: may reference only Lettuce, Netty, the JDK and the bootstrap agent classes.
 */
public final class EndpointAdvice {
  private EndpointAdvice() {}

  /** {@code DefaultEndpoint.write(RedisCommand)}: the start of one command. */
  public static final class Write {
    private Write() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object endpoint,
        @Advice.Argument(0) RedisCommand<?, ?, ?> command,
        @Advice.FieldValue("autoFlushCommands") boolean autoFlush,
        @Advice.FieldValue("inActivation") boolean inActivation,
        @Advice.FieldValue(value = "cachelens$txn", readOnly = false) Object txn) {
      int kind = LettuceDispatch.PLAIN;
      if (command instanceof TransactionalCommand) {
        kind = LettuceDispatch.QUEUED;
      } else if (command != null) {
        ProtocolKeyword type = command.getType();
        if (type == CommandType.MULTI) {
          kind = LettuceDispatch.MULTI;
        } else if (type == CommandType.EXEC || type == CommandType.DISCARD) {
          kind = LettuceDispatch.TRANSACTION_END;
        }
      }
      Object next = LettuceDispatch.written(endpoint, command, autoFlush, inActivation, kind, txn);
      if (next != txn) {
        txn = next;
      }
    }
  }

  /**
   * {@code DefaultEndpoint.write(Collection)}: a batch dispatched at once ({@code
   * StatefulConnection.dispatch(Collection)}).
   */
  public static final class WriteAll {
    private WriteAll() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object endpoint,
        @Advice.Argument(0) Collection<?> commands,
        @Advice.FieldValue("autoFlushCommands") boolean autoFlush,
        @Advice.FieldValue("inActivation") boolean inActivation) {
      LettuceDispatch.writtenAll(
          endpoint, commands, autoFlush, inActivation, TransactionalCommand.class);
    }
  }

  /**
   * {@code DefaultEndpoint.writeToChannelAndFlush(Collection)} (6.1–6.7): commands leaving the
   * client's buffers together.
   */
  public static final class FlushBatch {
    private FlushBatch() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object endpoint, @Advice.Argument(0) Collection<?> commands) {
      LettuceDispatch.flushing(endpoint, commands);
    }
  }

  /** {@code DefaultEndpoint.writeToChannelAndFlush(Channel, Collection)} (6.8+): as above. */
  public static final class FlushBatchOnChannel {
    private FlushBatchOnChannel() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object endpoint, @Advice.Argument(1) Collection<?> commands) {
      LettuceDispatch.flushing(endpoint, commands);
    }
  }
}
