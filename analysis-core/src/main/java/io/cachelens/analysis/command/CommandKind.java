package io.cachelens.analysis.command;

/** What a Redis command does, at the granularity an SRE dashboard splits on. */
public enum CommandKind {
  /** Reads keyspace data without changing it ({@code GET}, {@code HGETALL}, {@code SCAN}). */
  READ,
  /** Changes keyspace data ({@code SET}, {@code DEL}, {@code LPUSH}, {@code EXPIRE}). */
  WRITE,
  /** Server administration and introspection ({@code INFO}, {@code CONFIG}, {@code CLUSTER}). */
  ADMIN,
  /**
   * Connection state ({@code AUTH}, {@code HELLO}, {@code PING}, {@code SELECT}, {@code CLIENT}).
   */
  CONNECTION,
  /** Publish/subscribe ({@code PUBLISH}, {@code SUBSCRIBE}, {@code PUBSUB}). */
  PUBSUB,
  /** Lua scripts and functions ({@code EVAL}, {@code FCALL}, {@code SCRIPT}, {@code FUNCTION}). */
  SCRIPT,
  /** Transactions ({@code MULTI}, {@code EXEC}, {@code DISCARD}, {@code WATCH}). */
  TRANSACTION,
  /** Commands the catalog does not know (modules, newer servers, typos). */
  OTHER
}
