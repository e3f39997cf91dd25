package io.cachelens.agent.sink;

import io.cachelens.analysis.command.ArgumentAccess;
import io.cachelens.instrumentation.api.CommandReader;
import io.cachelens.instrumentation.api.RedisConnection;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sink computes once per connection (and again only when the connection's database
 * changes), kept on the {@link RedisConnection} so the per-command path is a few field reads.
 */
final class ConnectionState implements ArgumentAccess<Object> {
  static final AttributeKey<String> NETWORK_PEER_ADDRESS =
      AttributeKey.stringKey("network.peer.address");
  static final AttributeKey<Long> NETWORK_PEER_PORT = AttributeKey.longKey("network.peer.port");

  private final RedisConnection connection;
  private final CommandReader reader;
  private final int database;
  private final Target target;
  private final Attributes spanAttributes;
  // Survives a rebuild after SELECT: the count is the connection's, not the database's.
  private final AtomicLong commands;

  ConnectionState(RedisConnection connection, Targets targets) {
    this(connection, targets, new AtomicLong());
  }

  private ConnectionState(RedisConnection connection, Targets targets, AtomicLong commands) {
    this.commands = commands;
    this.connection = connection;
    this.reader = connection.reader();
    this.database = connection.database();
    this.target =
        targets.target(connection.serverAddress(), connection.serverPort(), database, null);
    AttributesBuilder attributes = target.attributes().toBuilder();
    InetSocketAddress peer = connection.peer();
    if (peer != null) {
      attributes.put(
          NETWORK_PEER_ADDRESS,
          peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString());
      attributes.put(NETWORK_PEER_PORT, (long) peer.getPort());
    }
    this.spanAttributes = attributes.build();
  }

  /** The state for a connection, rebuilt when a SELECT moved it to another database. */
  static ConnectionState of(RedisConnection connection, Targets targets) {
    Object cached = connection.sinkState();
    if (cached instanceof ConnectionState) {
      ConnectionState state = (ConnectionState) cached;
      if (state.database == connection.database()) {
        return state;
      }
    }
    ConnectionState state =
        cached instanceof ConnectionState
            ? new ConnectionState(connection, targets, ((ConnectionState) cached).commands)
            : new ConnectionState(connection, targets);
    connection.sinkState(state);
    return state;
  }

  RedisConnection connection() {
    return connection;
  }

  /** Counts one of the service's commands on this connection. */
  /** Counts one of the service's commands; returns the count so far, this one included. */
  long countCommand() {
    return commands.incrementAndGet();
  }

  /** The service's commands on this connection so far. */
  long commands() {
    return commands.get();
  }

  CommandReader reader() {
    return reader;
  }

  int database() {
    return database;
  }

  Target target() {
    return target;
  }

  Attributes spanAttributes() {
    return spanAttributes;
  }

  @Override
  public int count(Object command) {
    return reader.argumentCount(command);
  }

  @Override
  public byte[] argument(Object command, int index) {
    return reader.argument(command, index);
  }
}
