package io.cachelens.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.JedisPooled;

/**
 * Workload process: Jedis {@code JedisPooled}, synchronous SET/GET from {@code bench.threads}
 * threads (default 1). Operations are split evenly over the threads; with more than one thread the
 * workers live in a pool that outlasts the timed phase, so their allocation is counted.
 *
 * <p>System properties: {@code bench.port} (required), {@code bench.host}, {@code bench.threads},
 * {@code bench.warmup} (default 50,000), {@code bench.ops} (default 200,000).
 */
public final class JedisWorkload {

  private JedisWorkload() {}

  public static void main(String[] args) throws Exception {
    int threads = WorkloadProbe.intProperty("bench.threads", 1);
    int warmup = WorkloadProbe.intProperty("bench.warmup", 50_000);
    int ops = WorkloadProbe.intProperty("bench.ops", 200_000);
    String name = System.getProperty("bench.workload", "jedis-" + threads + "t");
    String[] keys = WorkloadProbe.keys();
    String value = WorkloadProbe.value();

    WorkloadProbe probe = new WorkloadProbe(name);
    JedisPooled jedis = new JedisPooled(WorkloadProbe.host(), WorkloadProbe.port());
    jedis.set(keys[0], value);
    WorkloadProbe.firstCommandDone();

    if (threads == 1) {
      loop(jedis, keys, value, 0, warmup);
      probe.start();
      loop(jedis, keys, value, 0, ops);
      probe.stop(ops);
    } else {
      AtomicInteger workerNumber = new AtomicInteger();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              threads, task -> new Thread(task, "bench-worker-" + workerNumber.incrementAndGet()));
      inParallel(pool, threads, jedis, keys, value, warmup);
      probe.start();
      inParallel(pool, threads, jedis, keys, value, ops);
      probe.stop(ops);
      pool.shutdown();
    }
    jedis.close();
  }

  private static void inParallel(
      ExecutorService pool, int threads, JedisPooled jedis, String[] keys, String value, int ops)
      throws Exception {
    // Even-sized slices keep each SET followed by its GET in the same thread.
    long slice = (ops / threads) & ~1L;
    List<Future<?>> done = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      long from = t * slice;
      long count = t == threads - 1 ? ops - from : slice;
      done.add(pool.submit(() -> loop(jedis, keys, value, from, count)));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  private static void loop(JedisPooled jedis, String[] keys, String value, long from, long count) {
    long end = from + count;
    for (long i = from; i < end; i++) {
      String key = keys[WorkloadProbe.keyIndex(i)];
      if ((i & 1) == 0) {
        jedis.set(key, value);
      } else if (jedis.get(key) == null) {
        throw new IllegalStateException("GET " + key + " returned nil right after SET");
      }
    }
  }
}
