package io.cachelens.instrumentation.api;

/**
 * A command dispatched on one thread and completed on another (Lettuce): what must be remembered
 * between the two.
 *
 * <p>Written by the dispatching thread before the command is handed to the client's I/O thread,
 * read once at completion; the client's own queue hand-off makes the writes visible.
 */
public final class PendingCommand {
  private final RedisConnection connection;
  private final long startNanos;
  private final Object callerContext;
  private final int flags;
  private final int batchSize;

  public PendingCommand(
      RedisConnection connection, long startNanos, Object callerContext, int flags, int batchSize) {
    this.connection = connection;
    this.startNanos = startNanos;
    this.callerContext = callerContext;
    this.flags = flags;
    this.batchSize = batchSize;
  }

  public RedisConnection connection() {
    return connection;
  }

  public long startNanos() {
    return startNanos;
  }

  public Object callerContext() {
    return callerContext;
  }

  public int flags() {
    return flags;
  }

  public int batchSize() {
    return batchSize;
  }
}
