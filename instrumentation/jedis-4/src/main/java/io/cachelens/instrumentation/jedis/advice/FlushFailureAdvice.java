package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.flush()} failing: the buffered commands never reached the server (or the
 * connection was already broken), so every command awaiting a reply completes with that failure.
 */
public final class FlushFailureAdvice {
  private FlushFailureAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object self,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisState.STATE) Object state,
      @Advice.FieldValue(JedisState.BATCH) int batch,
      @Advice.FieldValue(value = JedisState.TX, readOnly = false) int tx,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(value = JedisState.DEFERRED, readOnly = false) int deferred,
      @Advice.FieldValue(JedisState.COMMANDS) Object[] commands,
      @Advice.FieldValue(JedisState.ERRORS) Object[] errors,
      @Advice.FieldValue(JedisState.STARTS) long[] starts,
      @Advice.FieldValue(JedisState.FLAGS) int[] flags) {
    if (thrown == null || count == 0) {
      return;
    }
    long end = System.nanoTime();
    synchronized (self) {
      if (count <= 0 || commands == null) {
        return;
      }
      int mask = commands.length - 1;
      RedisConnection connection =
          state instanceof RedisConnection ? (RedisConnection) state : null;
      CommandSink sink = RedisEvents.sink();
      for (int i = 0; i < count; i++) {
        int slot = (head + i) & mask;
        Object command = commands[slot];
        long start = starts[slot];
        int reported = flags[slot] & JedisState.PUBLIC_FLAGS;
        commands[slot] = null;
        errors[slot] = null;
        int batchSize = 0;
        if ((reported & CommandFlags.TRANSACTION) == 0 && batch > 0) {
          reported |= CommandFlags.PIPELINED;
          batchSize = batch;
        }
        if (connection != null) {
          try {
            sink.commandCompleted(
                connection, command, start, end, thrown, reported, batchSize, null, null);
          } catch (Throwable ignored) {
            // the ring must stay consistent whatever the sink does
          }
        }
      }
      head = 0;
      count = 0;
      deferred = 0;
      tx = 0;
    }
  }
}
