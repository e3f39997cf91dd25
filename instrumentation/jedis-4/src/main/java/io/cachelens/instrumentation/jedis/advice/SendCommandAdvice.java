package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * {@code Connection.sendCommand(CommandArguments)}: every command Jedis writes, whichever API sent
 * it (CommandObject execution, the many {@code Jedis} methods that write and read directly, the
 * handshake, pipelines, transactions, pub/sub). The command joins the connection's ring with its
 * start time; see {@link JedisConnectionState#written}.
 */
public final class SendCommandAdvice {
  private SendCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter() {
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter long start,
      @Advice.Argument(0) CommandArguments arguments,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisConnectionState.FIELD) Object state) {
    if (arguments == null || !(state instanceof JedisConnectionState)) {
      return;
    }
    Object command = arguments.getCommand();
    int kind = JedisConnectionState.PLAIN;
    if (command == Protocol.Command.MULTI) {
      kind = JedisConnectionState.MULTI;
    } else if (command == Protocol.Command.EXEC || command == Protocol.Command.DISCARD) {
      kind = JedisConnectionState.TRANSACTION_END;
    } else if (command == Protocol.Command.SELECT) {
      kind = JedisConnectionState.SELECT;
    }
    ((JedisConnectionState) state).written(arguments, kind, start, thrown);
  }
}
