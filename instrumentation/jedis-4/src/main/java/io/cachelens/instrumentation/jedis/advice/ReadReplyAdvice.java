package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@code Connection.readProtocolWithCheckingBroken()}: every reply Jedis reads completes the oldest
 * command of the connection's ring; see {@link JedisConnectionState#replied}.
 */
public final class ReadReplyAdvice {
  private ReadReplyAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Return Object reply,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).replied(reply, thrown, thrown instanceof JedisDataException);
    }
  }
}
