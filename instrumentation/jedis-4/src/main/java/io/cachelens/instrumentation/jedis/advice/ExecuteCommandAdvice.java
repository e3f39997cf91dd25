package io.cachelens.instrumentation.jedis.advice;

import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.executeCommand(CommandObject)}: a command that writes and reads at once never
 * starts while replies of earlier commands are still owed, so commands written but never read on
 * this connection (misused pub/sub, a raw {@code sendCommand} without a read) are stale: they are
 * dropped so that the ring cannot pair this command with an older reply.
 */
public final class ExecuteCommandAdvice {
  private ExecuteCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.This Object self,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(JedisState.DEFERRED) int deferred,
      @Advice.FieldValue(JedisState.COMMANDS) Object[] commands,
      @Advice.FieldValue(JedisState.ERRORS) Object[] errors) {
    if (count <= deferred) {
      return;
    }
    synchronized (self) {
      if (commands == null) {
        count = 0;
        head = 0;
        return;
      }
      int mask = commands.length - 1;
      for (int i = deferred; i < count; i++) {
        int slot = (head + i) & mask;
        commands[slot] = null;
        errors[slot] = null;
      }
      count = deferred;
      if (count == 0) {
        head = 0;
      }
    }
  }
}
