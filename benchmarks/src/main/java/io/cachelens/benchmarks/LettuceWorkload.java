package io.cachelens.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Workload process: Lettuce on one connection, either synchronous ({@code bench.mode=sync}) or
 * asynchronous with {@code bench.inflight} commands outstanding ({@code bench.mode=async}, default
 * 64). The client, and with it the Netty event-loop threads, stays open until the result line has
 * been printed so their allocation is counted.
 *
 * <p>System properties: {@code bench.port} (required), {@code bench.host}, {@code bench.mode},
 * {@code bench.inflight}, {@code bench.warmup} (default 50,000 sync / 100,000 async), {@code
 * bench.ops} (default 200,000 sync / 500,000 async).
 */
public final class LettuceWorkload {

  private LettuceWorkload() {}

  public static void main(String[] args) throws Exception {
    String mode = System.getProperty("bench.mode", "sync");
    boolean async;
    if (mode.equals("async")) {
      async = true;
    } else if (mode.equals("sync")) {
      async = false;
    } else {
      throw new IllegalArgumentException("bench.mode must be sync or async, not " + mode);
    }
    int inflight = WorkloadProbe.intProperty("bench.inflight", 64);
    int warmup = WorkloadProbe.intProperty("bench.warmup", async ? 100_000 : 50_000);
    int ops = WorkloadProbe.intProperty("bench.ops", async ? 500_000 : 200_000);
    String name = System.getProperty("bench.workload", "lettuce-" + mode);
    String[] keys = WorkloadProbe.keys();
    String value = WorkloadProbe.value();

    WorkloadProbe probe = new WorkloadProbe(name);
    RedisClient client =
        RedisClient.create(RedisURI.create(WorkloadProbe.host(), WorkloadProbe.port()));
    StatefulRedisConnection<String, String> connection = client.connect();
    connection.sync().set(keys[0], value);
    WorkloadProbe.firstCommandDone();

    if (async) {
      Window window = new Window(inflight);
      RedisAsyncCommands<String, String> commands = connection.async();
      asyncLoop(commands, window, keys, value, warmup);
      probe.start();
      asyncLoop(commands, window, keys, value, ops);
      probe.stop(ops);
    } else {
      RedisCommands<String, String> commands = connection.sync();
      syncLoop(commands, keys, value, warmup);
      probe.start();
      syncLoop(commands, keys, value, ops);
      probe.stop(ops);
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static void syncLoop(
      RedisCommands<String, String> commands, String[] keys, String value, long count) {
    for (long i = 0; i < count; i++) {
      String key = keys[WorkloadProbe.keyIndex(i)];
      if ((i & 1) == 0) {
        commands.set(key, value);
      } else if (commands.get(key) == null) {
        throw new IllegalStateException("GET " + key + " returned nil right after SET");
      }
    }
  }

  private static void asyncLoop(
      RedisAsyncCommands<String, String> commands,
      Window window,
      String[] keys,
      String value,
      long count) {
    for (long i = 0; i < count; i++) {
      window.permits.acquireUninterruptibly();
      String key = keys[WorkloadProbe.keyIndex(i)];
      if ((i & 1) == 0) {
        RedisFuture<String> set = commands.set(key, value);
        set.whenComplete(window.onSet);
      } else {
        RedisFuture<String> get = commands.get(key);
        get.whenComplete(window.onGet);
      }
    }
    window.drain();
  }

  /** At most {@code size} commands in flight; completion callbacks are allocated once. */
  private static final class Window {
    final int size;
    final Semaphore permits;
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final BiConsumer<String, Throwable> onSet;
    final BiConsumer<String, Throwable> onGet;

    Window(int size) {
      this.size = size;
      this.permits = new Semaphore(size);
      this.onSet =
          (reply, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
            permits.release();
          };
      this.onGet =
          (reply, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else if (reply == null) {
              failure.compareAndSet(null, new IllegalStateException("GET returned nil after SET"));
            }
            permits.release();
          };
    }

    /** Waits for every outstanding command and rethrows the first failure. */
    void drain() {
      permits.acquireUninterruptibly(size);
      permits.release(size);
      Throwable first = failure.get();
      if (first != null) {
        throw new IllegalStateException("an asynchronous command failed", first);
      }
    }
  }
}
