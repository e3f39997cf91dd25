package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.RedisConnection;
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
      @Advice.FieldValue(value = JedisState.INIT, readOnly = false) int init,
      @Advice.FieldValue(value = JedisState.CONFIG_DB, readOnly = false) int configDb) {
    init = init + 1;
    if (config != null) {
      configDb = config.getDatabase();
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue(value = JedisState.INIT, readOnly = false) int init,
      @Advice.FieldValue(JedisState.STATE) Object state) {
    init = init > 1 ? init - 1 : 0;
    if (init == 0 && state instanceof RedisConnection) {
      ((RedisConnection) state).handshaking(false);
    }
  }
}
