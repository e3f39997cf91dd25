package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * {@code Connection.sendCommand(CommandArguments)}: every command Jedis writes, whichever API sent
 * it (CommandObject execution, the many {@code Jedis} methods that write and read directly, the
 * handshake, pipelines, transactions, pub/sub). The command joins the connection's ring with its
 * start time; its reply completes it. A write that fails completes it at once with the failure.
 *
 * <p>No allocation once the ring has room: the entry is four array stores.
 */
public final class SendCommandAdvice {
  private SendCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter() {
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object self,
      @Advice.Enter long start,
      @Advice.Argument(0) CommandArguments arguments,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisState.STATE) Object state,
      @Advice.FieldValue(JedisState.INIT) int init,
      @Advice.FieldValue(value = JedisState.TX, readOnly = false) int tx,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(value = JedisState.DEFERRED, readOnly = false) int deferred,
      @Advice.FieldValue(value = JedisState.COMMANDS, readOnly = false) Object[] commands,
      @Advice.FieldValue(value = JedisState.ERRORS, readOnly = false) Object[] errors,
      @Advice.FieldValue(value = JedisState.STARTS, readOnly = false) long[] starts,
      @Advice.FieldValue(value = JedisState.FLAGS, readOnly = false) int[] flags) {
    if (arguments == null) {
      return;
    }
    int entryFlags = init > 0 || RedisEvents.internal() ? CommandFlags.INTERNAL : 0;
    if (thrown != null) {
      if (state instanceof RedisConnection) {
        long end = System.nanoTime();
        RedisEvents.sink()
            .commandCompleted(
                (RedisConnection) state, arguments, start, end, thrown, entryFlags, 0, null, null);
      }
      return;
    }
    Object command = arguments.getCommand();
    synchronized (self) {
      if (command == Protocol.Command.MULTI) {
        tx = 1;
        entryFlags |= CommandFlags.TRANSACTION;
      } else if (tx != 0) {
        entryFlags |= CommandFlags.TRANSACTION;
        if (command == Protocol.Command.EXEC || command == Protocol.Command.DISCARD) {
          tx = 0;
          entryFlags |= JedisState.TX_END;
        }
      }
      if (commands == null) {
        commands = new Object[JedisState.INITIAL_CAPACITY];
        errors = new Object[JedisState.INITIAL_CAPACITY];
        starts = new long[JedisState.INITIAL_CAPACITY];
        flags = new int[JedisState.INITIAL_CAPACITY];
        head = 0;
        count = 0;
        deferred = 0;
      } else if (count >= commands.length) {
        int capacity = commands.length;
        int mask = capacity - 1;
        Object[] grownCommands = new Object[capacity << 1];
        Object[] grownErrors = new Object[capacity << 1];
        long[] grownStarts = new long[capacity << 1];
        int[] grownFlags = new int[capacity << 1];
        for (int i = 0; i < capacity; i++) {
          int from = (head + i) & mask;
          grownCommands[i] = commands[from];
          grownErrors[i] = errors[from];
          grownStarts[i] = starts[from];
          grownFlags[i] = flags[from];
        }
        commands = grownCommands;
        errors = grownErrors;
        starts = grownStarts;
        flags = grownFlags;
        head = 0;
        count = capacity;
      }
      int index = (head + count) & (commands.length - 1);
      commands[index] = arguments;
      errors[index] = null;
      starts[index] = start;
      flags[index] = entryFlags;
      count = count + 1;
    }
  }
}
