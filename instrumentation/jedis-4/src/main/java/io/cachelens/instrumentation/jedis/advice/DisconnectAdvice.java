package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.disconnect()} and {@code forceDisconnect()}: the connection closed; see {@link
 * JedisConnectionState#disconnected}.
 */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).disconnected();
    }
  }
}
