package io.cachelens.examples.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A product-catalog service as the incident write-ups describe it, minus the HTTP layer: worker
 * threads take simulated page requests and use Redis the way such services do.
 *
 * <p>Per request, on a connection borrowed from a {@link JedisPool}:
 *
 * <ul>
 *   <li>the visitor's session {@code session:user:<uuid>} is read back, or created with {@code
 *       SETEX ... 3600} for a new visitor; now and then it is rewritten with {@code SET ... EX
 *       3600} (sliding expiry);
 *   <li>a per-session rate limit {@code ratelimit:<uuid>} is bumped with {@code INCR} and given
 *       {@code EXPIRE 60};
 *   <li>the product page is read from {@code product:cache:<id>} with {@code GET}; on a miss it is
 *       loaded from the "database" and written back with a plain {@code SET} and <b>no TTL</b>,
 *       which is the bug that filled memory in the write-up;
 *   <li>some visitors add the product to the cart hash {@code cart:<userId>} with {@code HSET} and
 *       {@code EXPIRE} (seven days).
 * </ul>
 *
 * <p>Before serving, the best sellers are warmed into {@code product:cache:*} with one pipeline,
 * also without a TTL.
 *
 * <p>The traffic comes from a seeded {@link Random} per worker, so two runs against empty servers
 * send the same requests; only how the workers interleave differs.
 */
public final class CatalogService implements AutoCloseable {

  static final String PRODUCT_KEY_PREFIX = "product:cache:";
  static final String SESSION_KEY_PREFIX = "session:user:";
  static final String RATE_LIMIT_KEY_PREFIX = "ratelimit:";
  static final String CART_KEY_PREFIX = "cart:";

  static final long SESSION_TTL_SECONDS = 3_600;
  static final long RATE_LIMIT_WINDOW_SECONDS = 60;
  static final long RATE_LIMIT_PER_WINDOW = 120;
  static final long CART_TTL_SECONDS = 7 * 24 * 3_600;

  private static final int SOCKET_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_CONSECUTIVE_FAILURES = 20;
  private static final int VISITORS_PER_WORKER = 64;
  private static final double NEW_VISITOR_SHARE = 0.12;
  private static final double SESSION_REFRESH_SHARE = 0.10;
  private static final double BEST_SELLER_SHARE = 0.70;
  private static final double ADD_TO_CART_SHARE = 0.08;

  private final CatalogConfig config;
  private final JedisPool pool;
  private final Counters counters = new Counters();

  /** Creates the service and its connection pool; connections open on first use. */
  public CatalogService(CatalogConfig config) {
    this.config = config;
    JedisPoolConfig poolConfig = new JedisPoolConfig();
    poolConfig.setMaxTotal(config.workers());
    poolConfig.setMaxIdle(config.workers());
    poolConfig.setMinIdle(0);
    poolConfig.setJmxEnabled(false);
    poolConfig.setMaxWait(Duration.ofSeconds(5));
    this.pool = new JedisPool(poolConfig, config.host(), config.port(), SOCKET_TIMEOUT_MILLIS);
  }

  /**
   * Warms the cache, then serves the configured number of requests or until the duration runs out.
   *
   * @throws JedisException when Redis cannot be reached for the warm-up
   */
  public Result run() throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + config.duration().toNanos();
    int warmed = warmUp();

    ExecutorService workers = Executors.newFixedThreadPool(config.workers(), new WorkerThreads());
    List<Future<Boolean>> outcomes = new ArrayList<>();
    try {
      for (int worker = 0; worker < config.workers(); worker++) {
        long quota =
            config.requests() / config.workers()
                + (worker < config.requests() % config.workers() ? 1 : 0);
        Worker task = new Worker(new Random(config.seed() * 1_000_003L + worker), quota, deadline);
        outcomes.add(workers.submit(task::serve));
      }
      boolean gaveUp = false;
      for (Future<Boolean> outcome : outcomes) {
        try {
          gaveUp |= !outcome.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a worker failed", e.getCause());
        }
      }
      long elapsed = System.nanoTime() - started;
      return counters.result(warmed, Duration.ofNanos(elapsed), gaveUp);
    } finally {
      workers.shutdownNow();
    }
  }

  /** Closes the pool and its connections. */
  @Override
  public void close() {
    pool.close();
  }

  /** Writes the best sellers into the cache in one pipeline, as a start-up job would. */
  private int warmUp() {
    // Pages are loaded before the pipeline starts: a pipelined command waits from the moment it is
    // queued until its reply, so loading each page between two SETs would add the loading time to
    // the SETs' latency.
    Map<String, String> pages = new LinkedHashMap<>();
    for (long id = 1; id <= ProductCatalog.BEST_SELLERS; id++) {
      pages.put(ProductCatalog.cacheKey(id), ProductCatalog.load(id));
    }
    try (Jedis jedis = pool.getResource()) {
      Pipeline pipeline = jedis.pipelined();
      // No TTL here either: warmed entries live until someone deletes them.
      pages.forEach(pipeline::set);
      pipeline.sync();
    }
    return pages.size();
  }

  /** One request thread: its own seeded traffic, its own returning visitors. */
  private final class Worker {
    private final Random random;
    private final long quota;
    private final long deadline;
    private final List<Visitor> visitors = new ArrayList<>();

    Worker(Random random, long quota, long deadline) {
      this.random = random;
      this.quota = quota;
      this.deadline = deadline;
    }

    /** Serves the quota; false when it gave up after repeated Redis failures. */
    boolean serve() {
      int consecutiveFailures = 0;
      for (long served = 0; served < quota && System.nanoTime() - deadline < 0; served++) {
        try (Jedis jedis = pool.getResource()) {
          handleRequest(jedis);
          consecutiveFailures = 0;
        } catch (JedisException e) {
          counters.failedRequests.increment();
          if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            return false;
          }
        }
        counters.requests.increment();
      }
      return true;
    }

    private void handleRequest(Jedis jedis) {
      Visitor visitor = session(jedis);
      if (!withinRateLimit(jedis, visitor)) {
        counters.rateLimited.increment();
        return;
      }
      long productId = pickProduct();
      productPage(jedis, productId);
      if (random.nextDouble() < ADD_TO_CART_SHARE) {
        addToCart(jedis, visitor, productId);
      }
    }

    /** Finds or creates the visitor's session. */
    private Visitor session(Jedis jedis) {
      if (visitors.isEmpty() || random.nextDouble() < NEW_VISITOR_SHARE) {
        Visitor visitor = new Visitor(randomUuid(), 100_000 + random.nextInt(900_000));
        jedis.setex(visitor.sessionKey(), SESSION_TTL_SECONDS, visitor.sessionJson());
        counters.sessionsCreated.increment();
        if (visitors.size() >= VISITORS_PER_WORKER) {
          visitors.remove(0);
        }
        visitors.add(visitor);
        return visitor;
      }
      Visitor visitor = visitors.get(random.nextInt(visitors.size()));
      String session = jedis.get(visitor.sessionKey());
      if (session == null || random.nextDouble() < SESSION_REFRESH_SHARE) {
        // Expired, or time to slide the expiry forward: write it again with SET ... EX.
        jedis.set(
            visitor.sessionKey(),
            visitor.sessionJson(),
            SetParams.setParams().ex(SESSION_TTL_SECONDS));
        counters.sessionsRefreshed.increment();
      }
      return visitor;
    }

    private boolean withinRateLimit(Jedis jedis, Visitor visitor) {
      String key = RATE_LIMIT_KEY_PREFIX + visitor.sessionId();
      long count = jedis.incr(key);
      jedis.expire(key, RATE_LIMIT_WINDOW_SECONDS);
      return count <= RATE_LIMIT_PER_WINDOW;
    }

    /** Most traffic goes to the best sellers, the rest is a long tail over the whole catalog. */
    private long pickProduct() {
      if (random.nextDouble() < BEST_SELLER_SHARE) {
        double skew = random.nextDouble();
        return 1 + (long) (skew * skew * ProductCatalog.BEST_SELLERS);
      }
      return 1 + random.nextInt(ProductCatalog.SIZE);
    }

    private void productPage(Jedis jedis, long productId) {
      String key = ProductCatalog.cacheKey(productId);
      String page = jedis.get(key);
      if (page != null) {
        counters.productHits.increment();
        return;
      }
      page = ProductCatalog.load(productId);
      // The bug from the write-up: the page is cached with a plain SET and no TTL, so every
      // product ever viewed stays in Redis until memory runs out.
      jedis.set(key, page);
      counters.productMisses.increment();
    }

    private void addToCart(Jedis jedis, Visitor visitor, long productId) {
      String key = CART_KEY_PREFIX + visitor.userId();
      jedis.hset(key, "product:" + productId, Integer.toString(1 + random.nextInt(3)));
      jedis.expire(key, CART_TTL_SECONDS);
      counters.cartUpdates.increment();
    }

    /** A version-4 UUID drawn from the worker's seeded random, so runs repeat. */
    private String randomUuid() {
      long high = (random.nextLong() & ~0xF000L) | 0x4000L;
      long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(high, low).toString();
    }
  }

  private record Visitor(String sessionId, long userId) {
    String sessionKey() {
      return SESSION_KEY_PREFIX + sessionId;
    }

    String sessionJson() {
      return "{\"sessionId\":\""
          + sessionId
          + "\",\"userId\":"
          + userId
          + ",\"locale\":\"en-GB\",\"currency\":\"EUR\",\"roles\":[\"customer\"],"
          + "\"lastSeenMillis\":"
          + System.currentTimeMillis()
          + "}";
    }
  }

  private static final class WorkerThreads implements ThreadFactory {
    private final AtomicInteger next = new AtomicInteger(1);

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "catalog-worker-" + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    }
  }

  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder failedRequests = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder productHits = new LongAdder();
    final LongAdder productMisses = new LongAdder();
    final LongAdder sessionsCreated = new LongAdder();
    final LongAdder sessionsRefreshed = new LongAdder();
    final LongAdder cartUpdates = new LongAdder();

    Result result(int warmed, Duration elapsed, boolean gaveUp) {
      return new Result(
          requests.sum(),
          failedRequests.sum(),
          rateLimited.sum(),
          warmed,
          productHits.sum(),
          productMisses.sum(),
          sessionsCreated.sum(),
          sessionsRefreshed.sum(),
          cartUpdates.sum(),
          elapsed,
          gaveUp);
    }
  }

  /**
   * What one run did.
   *
   * @param requests requests taken, including failed and rate-limited ones
   * @param failedRequests requests that ended with a Redis error
   * @param rateLimited requests turned away by the rate limit
   * @param productsWarmed product pages written by the start-up warm-up
   * @param productHits product pages served from the cache
   * @param productMisses product pages loaded and written back (without a TTL)
   * @param sessionsCreated new sessions written with {@code SETEX}
   * @param sessionsRefreshed sessions rewritten with {@code SET ... EX}
   * @param cartUpdates cart additions
   * @param elapsed wall time of warm-up and serving
   * @param gaveUp true when a worker stopped early after repeated Redis failures
   */
  public record Result(
      long requests,
      long failedRequests,
      long rateLimited,
      long productsWarmed,
      long productHits,
      long productMisses,
      long sessionsCreated,
      long sessionsRefreshed,
      long cartUpdates,
      Duration elapsed,
      boolean gaveUp) {}
}
