package io.cachelens.instrumentation.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The static entry point that advice calls: the installed {@link CommandSink}, the registered
 * {@link CommandReader}s and a per-thread marker for commands a client sends on its own behalf.
 *
 * <p>Loaded by the bootstrap class loader so that advice inlined into any class loader resolves it.
 */
public final class RedisEvents {
  private static final CommandSink NOOP = new NoopSink();
  private static volatile CommandSink sink = NOOP;
  private static final ConcurrentMap<String, CommandReader> READERS = new ConcurrentHashMap<>();
  private static final ThreadLocal<int[]> INTERNAL_DEPTH =
      ThreadLocal.withInitial(() -> new int[1]);

  private RedisEvents() {}

  /** The installed sink; a no-op until the agent installs one. */
  public static CommandSink sink() {
    return sink;
  }

  /** Installs the sink; null restores the no-op. */
  public static void install(CommandSink newSink) {
    sink = newSink == null ? NOOP : newSink;
  }

  /** Registers the reader of a client family, e.g. {@code "jedis"}. */
  public static void registerReader(String client, CommandReader reader) {
    READERS.put(client, reader);
  }

  /** The reader of a client family, or null when its instrumentation is not installed. */
  public static CommandReader reader(String client) {
    return READERS.get(client);
  }

  /**
   * Marks the current thread as running client-internal work (pool validation, handshake) until
   * exit.
   */
  public static void enterInternal() {
    INTERNAL_DEPTH.get()[0]++;
  }

  /** Ends what {@link #enterInternal()} started. */
  public static void exitInternal() {
    int[] depth = INTERNAL_DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
  }

  /** True while the current thread runs client-internal work. */
  public static boolean internal() {
    return INTERNAL_DEPTH.get()[0] > 0;
  }

  private static final class NoopSink implements CommandSink {
    @Override
    public Object captureContext() {
      return null;
    }

    @Override
    public void commandCompleted(
        RedisConnection connection,
        Object command,
        long startNanos,
        long endNanos,
        Throwable error,
        int flags,
        int batchSize,
        Object callerContext,
        Object reply) {}

    @Override
    public void connectionOpened(RedisConnection connection) {}

    @Override
    public void connectionClosed(RedisConnection connection) {}
  }
}
