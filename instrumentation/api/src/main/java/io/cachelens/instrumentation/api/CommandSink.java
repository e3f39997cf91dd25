package io.cachelens.instrumentation.api;

/**
 * Where the instrumentation hands every command and connection event; implemented by the agent.
 *
 * <p>Called on application and client I/O threads: implementations must not block, must not throw
 * and should not allocate on the common path.
 */
public interface CommandSink {

  /**
   * Captures what the agent needs from the calling thread (trace context, the thread's sequence of
   * commands) for a command that will complete on another thread. Called at dispatch; the result is
   * passed back as {@code callerContext}. May return null.
   */
  Object captureContext();

  /**
   * {@link #captureContext()} for one command about to be sent (alone, pipelined or queued in
   * MULTI; not for a batch written at once), which the sink may look at (e.g. to read the caller's
   * stack for a dangerous command); {@code command} is readable with the connection's reader.
   */
  default Object captureContext(RedisConnection connection, Object command) {
    return captureContext();
  }

  /**
   * One command finished: a reply arrived, an error reply arrived, or the connection failed.
   *
   * @param connection the connection it was sent on
   * @param command the client's own command object, readable with {@link RedisConnection#reader()}
   * @param startNanos {@link System#nanoTime()} when the service dispatched it (including time
   *     queued in the client)
   * @param endNanos {@link System#nanoTime()} when its reply or failure was seen
   * @param error the failure (an error reply, a timeout, a broken connection), or null
   * @param flags {@link CommandFlags} bits
   * @param batchSize the number of commands in its pipeline or transaction, or 0 when sent alone
   * @param callerContext what {@link #captureContext()} returned at dispatch, or null for a command
   *     completed on the calling thread
   * @param reply the reply as the client decoded it, when the client hands it over apart from the
   *     command (Jedis); null when the command object holds it (Lettuce) or there is none. Read
   *     only with {@link CommandReader#replySize}; never kept.
   */
  void commandCompleted(
      RedisConnection connection,
      Object command,
      long startNanos,
      long endNanos,
      Throwable error,
      int flags,
      int batchSize,
      Object callerContext,
      Object reply);

  /**
   * The thread that sent a command finished waiting for it (Lettuce's sync API), on that thread:
   * called for commands that complete elsewhere, at most once per wait, after or around {@link
   * #commandCompleted}. Lets the sink read the caller's stack for slow commands.
   *
   * @param startNanos as in {@link #commandCompleted}
   * @param nowNanos {@link System#nanoTime()} when the wait ended
   */
  default void commandAwaited(
      RedisConnection connection, Object command, long startNanos, long nowNanos) {}

  /**
   * Captures, on the thread that asks the client for a new connection, what the agent wants to know
   * about who asked (the service's code location), for a client that opens the connection on
   * another thread. The result goes back to the sink as {@link RedisConnection#opener()}; the
   * instrumentation passes {@link RedisConnection#NOT_ASKED} for connections no service thread
   * asked for (reconnects). Never null.
   */
  default Object captureOpener() {
    return RedisConnection.NOT_ASKED;
  }

  /** A connection was established (after the TCP connect, before or during the handshake). */
  void connectionOpened(RedisConnection connection);

  /** A connection was closed, by either side. Called at most once per connection. */
  void connectionClosed(RedisConnection connection);
}
