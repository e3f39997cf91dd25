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

  /**
   * Takes (reads and clears) the pending command an instrumented object carries, so that only the
   * first of several completion paths reports it; null when it carries none.
   */
  public static PendingCommand take(Object carrier) {
    StateCarrier stateCarrier = (StateCarrier) carrier;
    Object state = stateCarrier.cachelens$getState();
    if (!(state instanceof PendingCommand)) {
      return null;
    }
    stateCarrier.cachelens$setState(null);
    return (PendingCommand) state;
  }

  /**
   * Reports the command finished to the installed sink.
   *
   * @param onIoThread true when it completes on the client's I/O thread rather than the caller's:
   *     the sink then gets {@link CommandFlags#ASYNC} and the caller context captured at dispatch
   */
  public void complete(Object command, long endNanos, Throwable error, boolean onIoThread) {
    RedisEvents.sink()
        .commandCompleted(
            connection,
            command,
            startNanos,
            endNanos,
            error,
            onIoThread ? flags | CommandFlags.ASYNC : flags,
            batchSize,
            onIoThread ? callerContext : null,
            null);
  }
}
