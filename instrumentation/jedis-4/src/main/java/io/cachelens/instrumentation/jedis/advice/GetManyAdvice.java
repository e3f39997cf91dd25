package io.cachelens.instrumentation.jedis.advice;

import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.getMany(int)}: the replies of a pipeline (Pipeline.sync, syncAndReturnAll,
 * cluster and multi-database pipelines) or of a transaction's queued commands are read together;
 * the replies read meanwhile complete commands flagged PIPELINED with that batch size. The
 * handshake's fire-and-forget batch stays a plain INTERNAL one.
 */
public final class GetManyAdvice {
  private GetManyAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static boolean enter(
      @Advice.Argument(0) int replies,
      @Advice.FieldValue(JedisState.INIT) int init,
      @Advice.FieldValue(value = JedisState.BATCH, readOnly = false) int batch) {
    if (init == 0 && replies > 0 && batch == 0) {
      batch = replies;
      return true;
    }
    return false;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter boolean started,
      @Advice.FieldValue(value = JedisState.BATCH, readOnly = false) int batch) {
    if (started) {
      batch = 0;
    }
  }
}
