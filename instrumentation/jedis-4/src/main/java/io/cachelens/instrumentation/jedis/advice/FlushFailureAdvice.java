package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.flush()} failing: every command awaiting a reply completes with the failure;
 * see {@link JedisConnectionState#flushFailed}.
 */
public final class FlushFailureAdvice {
  private FlushFailureAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (thrown != null && state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).flushFailed(thrown);
    }
  }
}
