package io.cachelens.agent.sink;

import io.cachelens.analysis.stats.CommandStatsTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Hands out {@link Target}s with dense ids. Looked up once per connection (and per failure), never
 * per successful command. Bounded: past {@link #LIMIT} targets everything shares the {@code
 * <other>} target, id 0.
 */
public final class Targets {
  /**
   * Cell keys keep 12 bits for the target id, and the table reserves the largest for its spill
   * cell.
   */
  public static final int LIMIT = CommandStatsTable.SPILL_SERVER_ID - 1;

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final ConcurrentMap<Key, Target> byKey = new ConcurrentHashMap<>();
  private final AtomicReferenceArray<Target> byId = new AtomicReferenceArray<>(LIMIT + 1);
  private final Target other;
  private int next = 1;

  public Targets() {
    other =
        new Target(
            0,
            "<other>",
            0,
            0,
            null,
            Attributes.of(DB_SYSTEM_NAME, "redis", SERVER_ADDRESS, "<other>"));
    byId.set(0, other);
  }

  /** The target for a server, database and error type (null when the command succeeded). */
  public Target target(String serverAddress, int serverPort, int database, String errorType) {
    Key key = new Key(serverAddress, serverPort, database, errorType);
    Target target = byKey.get(key);
    return target != null ? target : register(key);
  }

  /** The target with this id, or the {@code <other>} target. */
  public Target byId(int id) {
    Target target = id >= 0 && id <= LIMIT ? byId.get(id) : null;
    return target != null ? target : other;
  }

  private synchronized Target register(Key key) {
    Target existing = byKey.get(key);
    if (existing != null) {
      return existing;
    }
    if (next > LIMIT) {
      return other;
    }
    AttributesBuilder attributes =
        Attributes.builder()
            .put(DB_SYSTEM_NAME, "redis")
            .put(SERVER_ADDRESS, key.serverAddress)
            .put(SERVER_PORT, (long) key.serverPort)
            .put(DB_NAMESPACE, Integer.toString(key.database));
    if (key.errorType != null) {
      attributes.put(ERROR_TYPE, key.errorType);
    }
    Target target =
        new Target(
            next,
            key.serverAddress,
            key.serverPort,
            key.database,
            key.errorType,
            attributes.build());
    byId.set(next, target);
    next++;
    byKey.put(key, target);
    return target;
  }

  private static final class Key {
    final String serverAddress;
    final int serverPort;
    final int database;
    final String errorType;

    Key(String serverAddress, int serverPort, int database, String errorType) {
      this.serverAddress = serverAddress == null ? "<unknown>" : serverAddress;
      this.serverPort = serverPort;
      this.database = database;
      this.errorType = errorType;
    }

    @Override
    public boolean equals(Object other) {
      if (!(other instanceof Key)) {
        return false;
      }
      Key key = (Key) other;
      return serverPort == key.serverPort
          && database == key.database
          && serverAddress.equals(key.serverAddress)
          && Objects.equals(errorType, key.errorType);
    }

    @Override
    public int hashCode() {
      return Objects.hash(serverAddress, serverPort, database, errorType);
    }
  }
}
