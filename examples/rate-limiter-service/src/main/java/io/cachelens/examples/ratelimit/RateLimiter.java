package io.cachelens.examples.ratelimit;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A fixed-window rate limiter that opens a new Redis connection for every check: the
 * connection-per-request anti-pattern from the write-ups.
 *
 * <p>Each check counts the request with {@code INCR ratelimit:<client>}; the first request of a
 * window also sends {@code EXPIRE}, so every key expires and later {@code INCR}s keep that expiry.
 * The keys are fine. The connections are not: each one costs a TCP handshake and the client's
 * {@code CLIENT SETINFO}, carries one or two commands and is closed again, so under load the server
 * sees thousands of new connections a minute.
 */
public final class RateLimiter {

  /** Keys are this prefix and the client's id. */
  static final String KEY_PREFIX = "ratelimit:";

  private final String host;
  private final int port;
  private final long limit;
  private final long windowSeconds;

  /**
   * @param limit requests a client may make per window
   * @param windowSeconds length of a window, from the client's first request in it
   */
  public RateLimiter(String host, int port, long limit, long windowSeconds) {
    this.host = host;
    this.port = port;
    this.limit = limit;
    this.windowSeconds = windowSeconds;
  }

  /**
   * Counts one request of the client; true when it is within the limit.
   *
   * @throws JedisException when Redis cannot be used
   */
  public boolean check(String clientId) {
    String key = KEY_PREFIX + clientId;
    // The bug: a connection per check. One JedisPool (or JedisPooled) shared by all requests
    // would open a handful of connections for the whole life of the service.
    try (Jedis jedis = new Jedis(host, port)) {
      long count = jedis.incr(key);
      if (count == 1) {
        jedis.expire(key, windowSeconds);
      }
      return count <= limit;
    }
  }
}
