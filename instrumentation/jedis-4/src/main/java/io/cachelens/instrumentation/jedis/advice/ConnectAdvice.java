package io.cachelens.instrumentation.jedis.advice;

import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Arrays;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;

/**
 * {@code Connection.connect()}: when it leaves a new socket behind, the connection opened (and the
 * one it replaces, if still announced, closed). When connect fails on a connection never opened, an
 * unannounced {@link RedisConnection} is kept so that the command that needed it can still be
 * reported with its failure.
 *
 * <p>{@code connect()} runs before every write, so the common exit is one field comparison.
 */
public final class ConnectAdvice {
  private ConnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.This Object self,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue("socket") Socket socket,
      @Advice.FieldValue("socketFactory") JedisSocketFactory socketFactory,
      @Advice.FieldValue(JedisState.INIT) int init,
      @Advice.FieldValue(JedisState.CONFIG_DB) int configDb,
      @Advice.FieldValue(value = JedisState.STATE, readOnly = false) Object state,
      @Advice.FieldValue(value = JedisState.SOCKET, readOnly = false) Object announced,
      @Advice.FieldValue(value = JedisState.HEAD, readOnly = false) int head,
      @Advice.FieldValue(value = JedisState.COUNT, readOnly = false) int count,
      @Advice.FieldValue(value = JedisState.DEFERRED, readOnly = false) int deferred,
      @Advice.FieldValue(value = JedisState.TX, readOnly = false) int tx,
      @Advice.FieldValue(JedisState.COMMANDS) Object[] commands,
      @Advice.FieldValue(JedisState.ERRORS) Object[] errors) {
    boolean opened = thrown == null && socket != null && socket != announced;
    if (!opened && (thrown == null || state != null)) {
      return;
    }
    String host = null;
    int port = 0;
    if (socketFactory instanceof DefaultJedisSocketFactory) {
      HostAndPort configured = ((DefaultJedisSocketFactory) socketFactory).getHostAndPort();
      if (configured != null) {
        host = configured.getHost();
        port = configured.getPort();
      }
    }
    InetSocketAddress peer = null;
    InetSocketAddress local = null;
    if (opened) {
      SocketAddress remoteAddress = socket.getRemoteSocketAddress();
      if (remoteAddress instanceof InetSocketAddress) {
        peer = (InetSocketAddress) remoteAddress;
      }
      SocketAddress localAddress = socket.getLocalSocketAddress();
      if (localAddress instanceof InetSocketAddress) {
        local = (InetSocketAddress) localAddress;
      }
    }
    if (host == null) {
      if (peer != null) {
        host = peer.getHostString();
        port = peer.getPort();
      } else {
        host = "unknown";
      }
    }
    RedisConnection connection =
        new RedisConnection(
            RedisEvents.reader("jedis"), "jedis", host, port, peer, local, init > 0 ? configDb : 0);
    if (!opened) {
      // Never announced, never closed: it only carries the failed command's target.
      state = connection;
      return;
    }
    CommandSink sink = RedisEvents.sink();
    Object previous = state;
    boolean previousAnnounced = announced != null;
    synchronized (self) {
      // Replies to commands written on the old socket will never come.
      if (commands != null) {
        Arrays.fill(commands, null);
        Arrays.fill(errors, null);
      }
      head = 0;
      count = 0;
      deferred = 0;
      tx = 0;
    }
    connection.handshaking(init > 0);
    state = connection;
    announced = socket;
    if (previousAnnounced && previous instanceof RedisConnection) {
      sink.connectionClosed((RedisConnection) previous);
    }
    sink.connectionOpened(connection);
  }
}
