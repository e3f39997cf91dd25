package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import java.util.Iterator;
import java.util.List;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@code Connection.readProtocolWithCheckingBroken()}: every reply Jedis reads. A reply completes
 * the oldest command of the connection's ring:
 *
 * <ul>
 *   <li>an error reply ({@code JedisDataException}) completes it with that error;
 *   <li>any other failure (a broken connection, a timeout) completes every command still waiting,
 *       since none of their replies will come;
 *   <li>inside MULTI, the OK and QUEUED replies only defer their commands; the reply of EXEC (or
 *       DISCARD) completes them all, each with its own error from the EXEC reply, the queueing
 *       error, or the error EXEC itself failed with;
 *   <li>a reply read while {@code getMany} reads a pipeline's replies is flagged PIPELINED with the
 *       pipeline's size.
 * </ul>
 *
 * A successful SELECT updates the connection's database. Replies with no command waiting (pub/sub
 * messages, MONITOR output) are ignored.
 */
public final class ReadReplyAdvice {
  private ReadReplyAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object self,
      @Advice.Return Object reply,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisState.STATE) Object state,
      @Advice.FieldValue(JedisState.BATCH) int batch,
      @Advice.FieldValue(value = JedisState.TX, readOnly = false) int tx,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(value = JedisState.DEFERRED, readOnly = false) int deferred,
      @Advice.FieldValue(value = JedisState.COMMANDS, readOnly = false) Object[] commands,
      @Advice.FieldValue(value = JedisState.ERRORS, readOnly = false) Object[] errors,
      @Advice.FieldValue(value = JedisState.STARTS, readOnly = false) long[] starts,
      @Advice.FieldValue(value = JedisState.FLAGS, readOnly = false) int[] flags) {
    if (count == 0) {
      return;
    }
    long end = System.nanoTime();
    synchronized (self) {
      if (count <= 0 || commands == null) {
        return;
      }
      int mask = commands.length - 1;
      boolean failAll = thrown != null && !(thrown instanceof JedisDataException);
      boolean txEnd = false;
      int completed;
      if (failAll) {
        completed = count;
      } else {
        if (deferred >= count) {
          deferred = 0;
        }
        int index = (head + deferred) & mask;
        int entryFlags = flags[index];
        if ((entryFlags & JedisState.TX_END) != 0) {
          txEnd = true;
        } else if ((entryFlags & CommandFlags.TRANSACTION) != 0) {
          // MULTI's OK or a QUEUED reply: the command completes with EXEC.
          errors[index] = thrown;
          deferred = deferred + 1;
          return;
        }
        completed = deferred + 1;
      }
      // Commands of the transaction proper: neither MULTI nor the EXEC/DISCARD that ends it.
      int transactionSize = 0;
      if (completed > 1 || txEnd) {
        for (int i = 0; i < completed; i++) {
          int slot = (head + i) & mask;
          Object queued = commands[slot];
          if ((flags[slot] & (CommandFlags.TRANSACTION | JedisState.TX_END))
                  == CommandFlags.TRANSACTION
              && !(queued instanceof CommandArguments
                  && ((CommandArguments) queued).getCommand() == Protocol.Command.MULTI)) {
            transactionSize++;
          }
        }
      }
      List<?> results = txEnd && thrown == null && reply instanceof List ? (List<?>) reply : null;
      RedisConnection connection =
          state instanceof RedisConnection ? (RedisConnection) state : null;
      CommandSink sink = RedisEvents.sink();
      int result = 0;
      for (int i = 0; i < completed; i++) {
        int slot = (head + i) & mask;
        Object command = commands[slot];
        Object queueError = errors[slot];
        long start = starts[slot];
        int entryFlags = flags[slot];
        commands[slot] = null;
        errors[slot] = null;
        // Whatever goes wrong with one entry, the ring below must still advance past all of them,
        // or every later reply on this connection would pair with the wrong command.
        try {
          boolean last = i == completed - 1;
          boolean inTransaction = (entryFlags & CommandFlags.TRANSACTION) != 0;
          Throwable error;
          boolean executed;
          Object ownReply = null;
          if (failAll || last) {
            error = thrown;
            executed = thrown == null && !txEnd;
            ownReply = executed ? reply : null;
          } else {
            error = queueError instanceof Throwable ? (Throwable) queueError : null;
            executed = false;
            if (txEnd
                && !(command instanceof CommandArguments
                    && ((CommandArguments) command).getCommand() == Protocol.Command.MULTI)) {
              if (error == null && thrown != null) {
                error = thrown;
              }
              if (results != null && result < results.size()) {
                Object element = results.get(result);
                if (error == null && element instanceof Throwable) {
                  error = (Throwable) element;
                }
                ownReply = element;
                executed = error == null;
              }
              result++;
            }
          }
          int reported = entryFlags & JedisState.PUBLIC_FLAGS;
          int batchSize = 0;
          if (inTransaction) {
            batchSize = transactionSize;
          } else if (batch > 0) {
            reported |= CommandFlags.PIPELINED;
            batchSize = batch;
          }
          if (executed && connection != null && command instanceof CommandArguments) {
            CommandArguments arguments = (CommandArguments) command;
            if (arguments.getCommand() == Protocol.Command.SELECT && arguments.size() == 2) {
              Iterator<Rawable> values = arguments.iterator();
              values.next();
              byte[] raw = values.next().getRaw();
              int database = 0;
              boolean digits = raw != null && raw.length > 0 && raw.length < 10;
              for (int k = 0; digits && k < raw.length; k++) {
                int digit = raw[k] - '0';
                if (digit < 0 || digit > 9) {
                  digits = false;
                } else {
                  database = database * 10 + digit;
                }
              }
              if (digits) {
                connection.database(database);
              }
            }
          }
          if (connection != null) {
            sink.commandCompleted(
                connection, command, start, end, error, reported, batchSize, null, ownReply);
          }
        } catch (Throwable ignored) {
          // reported nowhere: this entry is lost, the ones after it stay in step
        }
      }
      count = count - completed;
      head = count == 0 ? 0 : (head + completed) & mask;
      deferred = 0;
      if (failAll) {
        tx = 0;
      }
      if (count == 0 && commands.length > JedisState.MAX_RETAINED_CAPACITY) {
        commands = null;
        errors = null;
        starts = null;
        flags = null;
      }
    }
  }
}
