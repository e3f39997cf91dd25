package io.cachelens.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.instrumentation.api.CommandSink;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.testing.redis.RedisServerExtension;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Allocation per command on the dispatching thread, where this module's only per-command allocation
 * happens (one PendingCommand; completion allocates nothing on success). Measured with a sink that
 * allocates nothing itself, as the difference between an instrumented connection and the same work
 * with the endpoint's state removed (which makes dispatch advice bail out early).
 */
class AllocationTest {

  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Counts completions; allocates nothing. */
  static final class CountingSink implements CommandSink {
    final LongAdder completed = new LongAdder();

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
        Object reply) {
      completed.increment();
    }

    @Override
    public void connectionOpened(RedisConnection connection) {}

    @Override
    public void connectionClosed(RedisConnection connection) {}
  }

  @Test
  void dispatchAllocatesOnePendingCommand() throws Exception {
    CountingSink counting = new CountingSink();
    RedisEvents.install(counting);
    RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      RedisAsyncCommands<String, String> async = connection.async();
      int n = 20_000;
      RedisFuture<?>[] futures = new RedisFuture<?>[n];
      for (int round = 0; round < 3; round++) {
        run(async, futures);
      }
      long instrumented = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        instrumented = Math.min(instrumented, run(async, futures));
      }
      assertThat(counting.completed.sum()).isEqualTo(8L * n);

      // Same work, with the endpoint forgetting its connection: advice returns before allocating.
      Object endpoint = endpointOf(connection);
      Object state =
          ((io.cachelens.instrumentation.api.StateCarrier) endpoint).cachelens$getState();
      ((io.cachelens.instrumentation.api.StateCarrier) endpoint).cachelens$setState(null);
      long bare = Long.MAX_VALUE;
      try {
        for (int round = 0; round < 5; round++) {
          bare = Math.min(bare, run(async, futures));
        }
      } finally {
        ((io.cachelens.instrumentation.api.StateCarrier) endpoint).cachelens$setState(state);
      }
      double perCommand = (instrumented - bare) / (double) n;
      System.out.printf(
          "[lettuce-6] caller-thread allocation per async command: %.1f B instrumented, %.1f B"
              + " bare, %.1f B added%n",
          instrumented / (double) n, bare / (double) n, perCommand);
      // One PendingCommand (40 bytes with compressed oops); leave room for measurement noise.
      assertThat(perCommand).isBetween(24.0, 64.0);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      RedisEvents.install(RecordingSink.INSTANCE);
    }
  }

  private static long run(RedisAsyncCommands<String, String> async, RedisFuture<?>[] futures) {
    long thread = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(thread);
    for (int i = 0; i < futures.length; i++) {
      futures[i] = async.get("alloc");
      if ((i & 63) == 63) {
        futures[i].toCompletableFuture().join();
      }
    }
    long after = THREADS.getThreadAllocatedBytes(thread);
    LettuceFutures.awaitAll(Duration.ofSeconds(30), futures);
    return after - before;
  }

  private static Object endpointOf(StatefulRedisConnection<String, String> connection)
      throws ReflectiveOperationException {
    java.lang.reflect.Field writer =
        io.lettuce.core.RedisChannelHandler.class.getDeclaredField("channelWriter");
    writer.setAccessible(true);
    Object channelWriter = writer.get(connection);
    // 6.5+ default: CommandExpiryWriter in front of the DefaultEndpoint.
    while (!(channelWriter instanceof io.lettuce.core.protocol.DefaultEndpoint)) {
      java.lang.reflect.Field delegate = channelWriter.getClass().getDeclaredField("delegate");
      delegate.setAccessible(true);
      channelWriter = delegate.get(channelWriter);
    }
    return channelWriter;
  }
}
