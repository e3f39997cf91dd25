package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.executeCommand(CommandObject)}: stale commands, written but never read, leave
 * the ring; see {@link JedisConnectionState#executing}.
 */
public final class ExecuteCommandAdvice {
  private ExecuteCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).executing();
    }
  }
}
