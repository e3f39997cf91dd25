package io.cachelens.it.audit.scenario;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;

/**
 * A forked service for the audit tests: the rate limiter of the write-ups on Lettuce, which opens
 * each connection on an event loop while the service's thread waits in {@code connect()}.
 *
 * <p>Arguments: host, port, mode: {@code churn} (a connection per check) or {@code shared} (one
 * connection for every check, as Lettuce intends).
 */
public final class LettuceChurnTraffic {
  public static final int CHECKS = 80;

  private LettuceChurnTraffic() {}

  public static void main(String[] args) {
    RedisClient client = RedisClient.create(RedisURI.create(args[0], Integer.parseInt(args[1])));
    try {
      switch (args[2]) {
        case "churn" -> {
          for (int i = 0; i < CHECKS; i++) {
            check(client);
          }
        }
        case "shared" -> {
          try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int i = 0; i < CHECKS; i++) {
              limit(connection.sync());
            }
          }
        }
        default -> throw new IllegalArgumentException(args[2]);
      }
    } finally {
      client.shutdown();
    }
    System.out.println("done");
  }

  /** A new connection for every check: the call site the audit must name. */
  static void check(RedisClient client) {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      limit(connection.sync());
    }
  }

  private static void limit(RedisCommands<String, String> commands) {
    String key = "ratelimit:" + UUID.randomUUID();
    commands.incr(key);
    commands.expire(key, 60);
  }
}
