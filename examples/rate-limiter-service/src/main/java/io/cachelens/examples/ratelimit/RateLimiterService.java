package io.cachelens.examples.ratelimit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.exceptions.JedisException;

/**
 * An API front door without the HTTP layer: requests from a fixed set of API clients arrive at a
 * steady rate, and worker threads ask the {@link RateLimiter} about each before answering it.
 */
public final class RateLimiterService {

  /** Request-handling threads. */
  static final int WORKERS = 4;

  /** Distinct API clients sending the requests. */
  static final int CLIENTS = 25;

  /** Requests a client may make per window. */
  static final long LIMIT = 30;

  /** Length of a rate-limit window. */
  static final long WINDOW_SECONDS = 60;

  private static final long HANDLING_NANOS = Duration.ofMillis(3).toNanos();
  private static final int MAX_CONSECUTIVE_FAILURES = 20;
  private static final long SEED = 42;

  private final RateLimiterConfig config;
  private final RateLimiter limiter;
  private final List<String> clients = new ArrayList<>();
  private final LongAdder allowed = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicReference<JedisException> lastFailure = new AtomicReference<>();

  /** Sets the service up; nothing connects before {@link #run}. */
  public RateLimiterService(RateLimiterConfig config) {
    this.config = config;
    this.limiter = new RateLimiter(config.host(), config.port(), LIMIT, WINDOW_SECONDS);
    for (int i = 1; i <= CLIENTS; i++) {
      clients.add(
          UUID.nameUUIDFromBytes(("api-client-" + i).getBytes(StandardCharsets.UTF_8)).toString());
    }
  }

  /** Serves the configured requests, or as many as fit in the configured duration. */
  public Result run() throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + config.duration().toNanos();
    long spacing = Duration.ofSeconds(1).toNanos() / config.rate();
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    try {
      List<Future<Boolean>> outcomes = new ArrayList<>();
      for (int worker = 0; worker < WORKERS; worker++) {
        long quota = config.requests() / WORKERS + (worker < config.requests() % WORKERS ? 1 : 0);
        // Worker w takes requests w, w + WORKERS, w + 2 * WORKERS... of the steady arrival stream.
        long firstArrival = started + worker * spacing;
        Random random = new Random(SEED * 31 + worker);
        outcomes.add(
            workers.submit(() -> serve(quota, firstArrival, spacing * WORKERS, deadline, random)));
      }
      boolean gaveUp = false;
      for (Future<Boolean> outcome : outcomes) {
        try {
          gaveUp |= !outcome.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a worker failed", e.getCause());
        }
      }
      return new Result(
          allowed.sum(),
          rejected.sum(),
          failed.sum(),
          Duration.ofNanos(System.nanoTime() - started),
          gaveUp ? lastFailure.get() : null);
    } finally {
      workers.shutdownNow();
    }
  }

  /** One worker's share of the requests; false when it gave up after repeated Redis failures. */
  private boolean serve(long quota, long arrival, long interval, long deadline, Random random) {
    int consecutiveFailures = 0;
    for (long served = 0; served < quota; served++, arrival += interval) {
      LockSupport.parkNanos(arrival - System.nanoTime());
      if (System.nanoTime() - deadline >= 0) {
        return true;
      }
      String client = clients.get(random.nextInt(clients.size()));
      try {
        (limiter.check(client) ? allowed : rejected).increment();
        consecutiveFailures = 0;
      } catch (JedisException e) {
        failed.increment();
        lastFailure.set(e);
        if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          return false;
        }
      }
      // Answering the request (the API call, or the 429) keeps the thread busy for a moment.
      LockSupport.parkNanos(HANDLING_NANOS);
    }
    return true;
  }

  /**
   * What one run did.
   *
   * @param allowed requests within their client's limit
   * @param rejected requests over it
   * @param failed requests the limiter could not check because Redis failed
   * @param elapsed wall time of the run
   * @param gaveUpOn the last Redis failure when a worker stopped early because of repeated ones,
   *     else null
   */
  public record Result(
      long allowed, long rejected, long failed, Duration elapsed, JedisException gaveUpOn) {

    /** Requests taken, checked or not. */
    public long requests() {
      return allowed + rejected + failed;
    }
  }
}
