package io.cachelens.agent.sink;

import io.opentelemetry.api.common.Attributes;

/**
 * Where commands went and how they ended: a server, a database and, for failures, the error type.
 * Its small id is part of every aggregation cell's key, and it carries the metric attributes built
 * once for it.
 */
public final class Target {
  private final int id;
  private final String serverAddress;
  private final int serverPort;
  private final int database;
  private final String errorType;
  private final Attributes attributes;

  Target(
      int id,
      String serverAddress,
      int serverPort,
      int database,
      String errorType,
      Attributes attributes) {
    this.id = id;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
    this.database = database;
    this.errorType = errorType;
    this.attributes = attributes;
  }

  public int id() {
    return id;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public int serverPort() {
    return serverPort;
  }

  public int database() {
    return database;
  }

  /** The failure's type for failed commands, null for commands that succeeded. */
  public String errorType() {
    return errorType;
  }

  /**
   * {@code server.address}, {@code server.port}, {@code db.namespace}, {@code error.type}, {@code
   * db.system.name}.
   */
  public Attributes attributes() {
    return attributes;
  }
}
