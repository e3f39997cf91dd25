package io.cachelens.instrumentation.lettuce.advice;

import io.cachelens.instrumentation.api.ConnectionRequest;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.api.StateCarrier;
import io.lettuce.core.ConnectionBuilder;
import io.lettuce.core.RedisURI;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Connections: one {@link RedisConnection} per channel, created when {@code CommandHandler} sees
 * the channel become active (Lettuce fires that after its handshake: HELLO/AUTH, CLIENT
 * SETNAME/SETINFO and SELECT have then been written straight to the channel, bypassing the
 * endpoint, and are not reported) and closed when it sees the channel go inactive. Every {@code
 * CommandHandler} serves one channel (Lettuce builds a new one per connect and reconnect), so its
 * state field holds the connection it opened, and closing clears it: at most one close per open.
 *
 * <p>Inlined code: may reference only Lettuce, Netty, the JDK and the bootstrap API package.
 */
public final class ConnectionAdvice {
  private ConnectionAdvice() {}

  /**
   * {@code ConnectionBuilder.apply(RedisURI)}, on the thread that asked for the connection:
   * remembers the URI on the endpoint (until its first channel), for the configured server address,
   * port and database, with what the sink captures here about the asking code (the channel becomes
   * active on an event loop, whose stack says nothing about it).
   */
  public static final class BuilderApply {
    private BuilderApply() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This ConnectionBuilder builder, @Advice.Argument(0) RedisURI uri) {
      Object endpoint = builder.endpoint();
      if (uri != null && endpoint instanceof StateCarrier) {
        StateCarrier carrier = (StateCarrier) endpoint;
        if (carrier.cachelens$getState() == null) {
          carrier.cachelens$setState(
              new ConnectionRequest(uri, RedisEvents.sink().captureOpener()));
        }
      }
    }
  }

  /**
   * {@code CommandHandler.channelActive(ChannelHandlerContext)}, on enter: before the endpoint
   * flushes commands queued while disconnected, so they are attributed to the new connection.
   */
  public static final class ChannelActive {
    private ChannelActive() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object handler,
        @Advice.Argument(0) ChannelHandlerContext context,
        @Advice.FieldValue("endpoint") Object endpoint) {
      StateCarrier handlerState = (StateCarrier) handler;
      if (handlerState.cachelens$getState() != null || !(endpoint instanceof StateCarrier)) {
        return;
      }
      StateCarrier endpointState = (StateCarrier) endpoint;
      Channel channel = context.channel();
      SocketAddress remote = channel.remoteAddress();
      SocketAddress localAddress = channel.localAddress();
      InetSocketAddress peer =
          remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
      InetSocketAddress local =
          localAddress instanceof InetSocketAddress ? (InetSocketAddress) localAddress : null;

      String host = null;
      int port = 0;
      int database = 0;
      Object seed = endpointState.cachelens$getState();
      Object opener = RedisConnection.NOT_ASKED;
      if (seed instanceof ConnectionRequest) {
        ConnectionRequest request = (ConnectionRequest) seed;
        opener = request.opener();
        seed = request.target();
      }
      if (seed instanceof RedisURI) {
        RedisURI uri = (RedisURI) seed;
        host = uri.getHost();
        port = uri.getPort();
        database = uri.getDatabase();
        if (host == null && uri.getSocket() != null) {
          host = uri.getSocket();
          port = 0;
        }
      } else if (seed instanceof RedisConnection) {
        // Reconnect: same configured target and the database last selected on it, unless the
        // previous target was only known from its peer address (Sentinel: the master may move).
        RedisConnection previous = (RedisConnection) seed;
        database = previous.database();
        InetSocketAddress previousPeer = previous.peer();
        boolean fromPeer =
            previousPeer != null
                && previous.serverPort() == previousPeer.getPort()
                && previousPeer.getHostString().equals(previous.serverAddress());
        if (!fromPeer) {
          host = previous.serverAddress();
          port = previous.serverPort();
        }
      }
      if (host == null) {
        if (peer != null) {
          host = peer.getHostString();
          port = peer.getPort();
        } else if (remote != null) {
          host = remote.toString();
        }
      }
      RedisConnection connection =
          new RedisConnection(
              RedisEvents.reader("lettuce"), "lettuce", host, port, peer, local, database);
      connection.opener(opener);
      endpointState.cachelens$setState(connection);
      handlerState.cachelens$setState(connection);
      RedisEvents.sink().connectionOpened(connection);
    }
  }

  /**
   * {@code CommandHandler.channelInactive(ChannelHandlerContext)}, on exit: after Lettuce has
   * failed or re-queued the commands that were in flight.
   */
  public static final class ChannelInactive {
    private ChannelInactive() {}

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object handler) {
      StateCarrier handlerState = (StateCarrier) handler;
      Object state = handlerState.cachelens$getState();
      if (state instanceof RedisConnection) {
        // Anything non-null but not a connection: this handler's channel was closed already.
        handlerState.cachelens$setState(Boolean.FALSE);
        RedisEvents.sink().connectionClosed((RedisConnection) state);
      }
    }
  }
}
