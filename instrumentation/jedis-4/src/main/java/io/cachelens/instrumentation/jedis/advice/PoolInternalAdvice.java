package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.RedisEvents;
import net.bytebuddy.asm.Advice;

/**
 * The commons-pool2 factory callbacks ({@code validateObject}, {@code activateObject}, {@code
 * passivateObject} of {@code JedisFactory} and {@code ConnectionFactory}): the PING of testOnBorrow
 * / testWhileIdle and the SELECT that resets a borrowed Jedis are the pool's, not the service's.
 */
public final class PoolInternalAdvice {
  private PoolInternalAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter() {
    RedisEvents.enterInternal();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit() {
    RedisEvents.exitInternal();
  }
}
