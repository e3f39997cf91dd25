package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.jedis.JedisConnectionState;
import java.net.Socket;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;

/**
 * {@code Connection.connect()}: reports a new socket as a connection opened, or a failed first
 * connect; see {@link JedisConnectionState#connected}. {@code connect()} runs before every write,
 * so the common exit is one comparison.
 */
public final class ConnectAdvice {
  private ConnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue("socket") Socket socket,
      @Advice.FieldValue("socketFactory") JedisSocketFactory socketFactory,
      @Advice.FieldValue(value = JedisConnectionState.FIELD, readOnly = false) Object state) {
    if (!(state instanceof JedisConnectionState)) {
      state = new JedisConnectionState();
    }
    JedisConnectionState connection = (JedisConnectionState) state;
    if (connection.connectChangedNothing(socket, thrown)) {
      return;
    }
    HostAndPort configured =
        socketFactory instanceof DefaultJedisSocketFactory
            ? ((DefaultJedisSocketFactory) socketFactory).getHostAndPort()
            : null;
    connection.connected(
        socket,
        thrown,
        configured == null ? null : configured.getHost(),
        configured == null ? 0 : configured.getPort());
  }
}
