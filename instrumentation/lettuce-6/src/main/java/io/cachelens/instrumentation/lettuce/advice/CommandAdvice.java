package io.cachelens.instrumentation.lettuce.advice;

import io.cachelens.instrumentation.api.PendingCommand;
import io.cachelens.instrumentation.api.StateCarrier;
import io.lettuce.core.internal.ExceptionFactory;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.CommandArgsAccessor;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;

/**
 * Completion: advice inlined into the command classes that carry a {@link PendingCommand} (the
 * outermost object handed to {@code DefaultEndpoint.write}).
 *
 * <p>Exactly once: each hook sits where the class's own exactly-once guard has already decided that
 * this call is the one that completes the command, so two threads (the event loop and the timeout
 * timer, say) can never both report it:
 *
 * <ul>
 *   <li>{@code AsyncCommand} (async, sync, MULTI-queued commands): {@code completeResult()} runs
 *       only for the call whose count decrement reached zero; {@code doCompleteExceptionally} and
 *       {@code cancel(boolean)} report only when the CompletableFuture transition succeeded (their
 *       return value).
 *   <li>{@code CommandWrapper} and its subclasses (reactive {@code SubscriptionCommand}, {@code
 *       CommandListenerWriter} wrappers, tracing): {@code doOnComplete()} / {@code
 *       doOnError(Throwable)} are called only in the branch that won the wrapper's CAS.
 *   <li>plain {@code Command} (rarely the outermost object): no guard of its own; the state is
 *       taken (read and cleared) by the first completion call.
 * </ul>
 *
 * Within one thread, taking the state (read, then clear) makes nested calls (a wrapper completing
 * its delegate) report once. Inner objects carry no state and cost one field read.
 *
 * <p>ASYNC: the completing thread is a Netty thread (the channel's event loop, or Lettuce's timer)
 * for everything but a command failed synchronously by the dispatching thread (closed connection,
 * rejected while disconnected, user cancel); only then is the caller context not needed.
 */
public final class CommandAdvice {
  private CommandAdvice() {}

  /** {@code AsyncCommand.completeResult()}: success (or an error reply, reported below). */
  public static final class AsyncCompleteResult {
    private AsyncCompleteResult() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object self) {
      return ((StateCarrier) self).cachelens$getState() != null ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This AsyncCommand<?, ?, ?> self, @Advice.Enter long end) {
      if (end == 0L) {
        return;
      }
      // An error reply makes completeResult() fail the command: the exceptional path reports it.
      if (self.isCompletedExceptionally()) {
        return;
      }
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      if (self.getType() == CommandType.SELECT) {
        Long database = CommandArgsAccessor.getFirstInteger(self.getArgs());
        if (database != null) {
          pending.connection().database(database.intValue());
        }
      }
      pending.complete(self, end, null, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /**
   * {@code AsyncCommand.doCompleteExceptionally(Throwable)} (private): error replies, timeouts,
   * connection failures.
   */
  public static final class AsyncCompleteExceptionally {
    private AsyncCompleteExceptionally() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object self) {
      return ((StateCarrier) self).cachelens$getState() != null ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object self,
        @Advice.Argument(0) Throwable error,
        @Advice.Return boolean completed,
        @Advice.Enter long end) {
      if (end == 0L || !completed) {
        return;
      }
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      pending.complete(self, end, error, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /** {@code AsyncCommand.cancel(boolean)}: reported as a {@link CancellationException}. */
  public static final class AsyncCancel {
    private AsyncCancel() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object self) {
      return ((StateCarrier) self).cachelens$getState() != null ? System.nanoTime() : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object self, @Advice.Return boolean cancelled, @Advice.Enter long end) {
      if (end == 0L || !cancelled) {
        return;
      }
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      pending.complete(
          self,
          end,
          new CancellationException("Command cancelled"),
          Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /**
   * {@code CommandWrapper.doOnComplete()} and its overrides: success, or an error reply held in the
   * output.
   */
  public static final class WrapperComplete {
    private WrapperComplete() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      long end = System.nanoTime();
      RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) self;
      CommandOutput<?, ?, ?> output = command.getOutput();
      Throwable error = null;
      if (output != null && output.hasError()) {
        error = ExceptionFactory.createExecutionException(output.getError());
      } else if (command.getType() == CommandType.SELECT) {
        Long database = CommandArgsAccessor.getFirstInteger(command.getArgs());
        if (database != null) {
          pending.connection().database(database.intValue());
        }
      }
      pending.complete(self, end, error, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /**
   * {@code CommandWrapper.doOnError(Throwable)} and its overrides: completeExceptionally and cancel
   * (a CancellationException).
   */
  public static final class WrapperError {
    private WrapperError() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable error) {
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      long end = System.nanoTime();
      pending.complete(self, end, error, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /** {@code Command.complete()}: a plain command written directly. */
  public static final class PlainComplete {
    private PlainComplete() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      long end = System.nanoTime();
      RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) self;
      CommandOutput<?, ?, ?> output = command.getOutput();
      Throwable error = null;
      if (output != null && output.hasError()) {
        error = ExceptionFactory.createExecutionException(output.getError());
      } else if (command.getType() == CommandType.SELECT) {
        Long database = CommandArgsAccessor.getFirstInteger(command.getArgs());
        if (database != null) {
          pending.connection().database(database.intValue());
        }
      }
      pending.complete(self, end, error, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /** {@code Command.completeExceptionally(Throwable)}. */
  public static final class PlainCompleteExceptionally {
    private PlainCompleteExceptionally() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable error) {
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      long end = System.nanoTime();
      pending.complete(self, end, error, Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }

  /** {@code Command.cancel()}. */
  public static final class PlainCancel {
    private PlainCancel() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object self) {
      PendingCommand pending = PendingCommand.take(self);
      if (pending == null) {
        return;
      }
      long end = System.nanoTime();
      pending.complete(
          self,
          end,
          new CancellationException("Command cancelled"),
          Thread.currentThread() instanceof FastThreadLocalThread);
    }
  }
}
