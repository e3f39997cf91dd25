package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.getMany(int)}: the replies of a pipeline (Pipeline.sync, syncAndReturnAll,
 * cluster and multi-database pipelines) or of a transaction's queued commands are read together;
 * see {@link JedisConnectionState#batchStarted}.
 */
public final class GetManyAdvice {
  private GetManyAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(
      @Advice.Argument(0) int replies,
      @Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    return state instanceof JedisConnectionState
        && ((JedisConnectionState) state).batchStarted(replies);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean started, @Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (started && state instanceof JedisConnectionState) {
      ((JedisConnectionState) state).batchEnded();
    }
  }
}
