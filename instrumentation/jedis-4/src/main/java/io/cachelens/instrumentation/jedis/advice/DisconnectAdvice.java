package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import java.util.Arrays;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.disconnect()} and {@code forceDisconnect()}: the connection closed, reported
 * once however often either runs (the state is cleared on the first). Commands still awaiting a
 * reply are dropped: their replies will never be read.
 */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object self,
      @Advice.FieldValue(value = JedisState.STATE, readOnly = false) Object state,
      @Advice.FieldValue(value = JedisState.SOCKET, readOnly = false) Object announced,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(value = JedisState.DEFERRED, readOnly = false) int deferred,
      @Advice.FieldValue(value = JedisState.TX, readOnly = false) int tx,
      @Advice.FieldValue(JedisState.COMMANDS) Object[] commands,
      @Advice.FieldValue(JedisState.ERRORS) Object[] errors) {
    if (count != 0) {
      synchronized (self) {
        if (commands != null) {
          Arrays.fill(commands, null);
          Arrays.fill(errors, null);
        }
        head = 0;
        count = 0;
        deferred = 0;
        tx = 0;
      }
    }
    Object closed = state;
    if (closed == null) {
      return;
    }
    boolean wasAnnounced = announced != null;
    state = null;
    announced = null;
    if (wasAnnounced && closed instanceof RedisConnection) {
      RedisEvents.sink().connectionClosed((RedisConnection) closed);
    }
  }
}
