package io.cachelens.instrumentation.lettuce.advice;

import io.cachelens.instrumentation.api.PendingCommand;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.api.StateCarrier;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;

/**
 * {@code Futures.awaitOrCancel(RedisFuture, long, TimeUnit)}: where the sync API's caller waits for
 * its command, on the caller's own thread. The command completes on an event loop; this is where
 * the caller's stack can still be read, so the sink hears of every command the caller waited for
 * and captures the code location of the slow ones.
 *
 * <p>Inlined code: may reference only Lettuce, Netty, the JDK and the bootstrap API package.
 */
public final class AwaitAdvice {
  private AwaitAdvice() {}

  /** A command already completed has handed its state over: nothing to wait for, nothing to do. */
  @Advice.OnMethodEnter(suppress = Throwable.class)
  static PendingCommand enter(@Advice.Argument(0) Object future) {
    if (future instanceof StateCarrier) {
      Object state = ((StateCarrier) future).cachelens$getState();
      if (state instanceof PendingCommand) {
        return (PendingCommand) state;
      }
    }
    return null;
  }

  /**
   * Also after an error, which makes the wait throw. Not after a wait that timed out and cancelled
   * the command: the cancellation completed it on this thread, where the sink already read the
   * stack.
   */
  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  static void exit(@Advice.Argument(0) Object future, @Advice.Enter PendingCommand pending) {
    if (pending != null && !(future instanceof Future && ((Future<?>) future).isCancelled())) {
      RedisEvents.sink()
          .commandAwaited(pending.connection(), future, pending.startNanos(), System.nanoTime());
    }
  }
}
