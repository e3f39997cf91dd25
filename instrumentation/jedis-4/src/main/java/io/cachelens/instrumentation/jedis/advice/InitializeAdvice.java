package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.JedisClientConfig;

/**
 * {@code Connection.initializeFromClientConfig(JedisClientConfig)}: the connect handshake (HELLO,
 * AUTH, CLIENT SETNAME / SETINFO, READONLY, SELECT). Commands written meanwhile are flagged
 * INTERNAL, and a connection opened meanwhile starts with the config's database and {@code
 * handshaking} set until the handshake ends.
 */
public final class InitializeAdvice {
  private InitializeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.Argument(0) JedisClientConfig config,
      @Advice.FieldValue(value = JedisConnectionState.FIELD, readOnly = false) Object state) {
    if (!(state instanceof JedisConnectionState)) {
      state = new JedisConnectionState();
    }
    ((JedisConnectionState) state).handshakeStarted(config != null ? config.getDatabase() : -1);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).handshakeEnded();
    }
  }
}
