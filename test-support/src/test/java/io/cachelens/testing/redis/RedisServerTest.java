package io.cachelens.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RedisServerTest {

  @Test
  void twoServersStartConcurrentlyOnDifferentPorts() throws Exception {
    CompletableFuture<RedisServer> first =
        CompletableFuture.supplyAsync(RedisServer.builder()::start);
    CompletableFuture<RedisServer> second =
        CompletableFuture.supplyAsync(RedisServer.builder()::start);
    try (RedisServer a = first.get();
        RedisServer b = second.get()) {
      assertThat(a.port()).isNotEqualTo(b.port()).isNotEqualTo(6379);
      assertThat(b.port()).isNotEqualTo(6379);
      assertThat(a.directory()).isNotEqualTo(b.directory());
      assertThat(a.uri()).isEqualTo("redis://127.0.0.1:" + a.port());

      a.client().command("SET", "only-in-a", "1");
      assertThat(a.client().command("DBSIZE")).isEqualTo("1");
      assertThat(b.client().command("DBSIZE")).isEqualTo("0");
      assertThat(a.client().command("INFO", "server")).contains("process_id:" + a.pid());
      assertThat(b.client().command("INFO", "server")).contains("process_id:" + b.pid());
    }
    RedisServer a = first.get();
    assertThat(a.isRunning()).isFalse();
    assertThat(ProcessHandle.of(a.pid())).isEmpty();
    assertThat(second.get().isRunning()).isFalse();
  }

  @Test
  void generatedAndExtraConfigLinesAreApplied() throws Exception {
    try (RedisServer redis =
        RedisServer.builder()
            .config("maxmemory 10mb")
            .config("maxmemory-policy allkeys-lru")
            .start()) {
      RespClient client = redis.client();
      assertThat(client.configGet("maxmemory")).isEqualTo("10485760");
      assertThat(client.command("CONFIG", "GET", "maxmemory")).isEqualTo("maxmemory\n10485760");
      assertThat(client.configGet("maxmemory-policy")).isEqualTo("allkeys-lru");
      assertThat(client.configGet("bind")).isEqualTo("127.0.0.1");
      assertThat(client.configGet("save")).isEmpty();
      assertThat(client.configGet("appendonly")).isEqualTo("no");
      assertThat(Path.of(client.configGet("dir")).toRealPath())
          .isEqualTo(redis.directory().toRealPath());
      assertThat(client.configGet("logfile")).isEqualTo(redis.logFile().toString());
      assertThat(Files.readString(redis.configFile()))
          .contains("port " + redis.port(), "daemonize no", "save \"\"", "maxmemory 10mb");
      assertThat(Files.readString(redis.logFile())).contains("eady to accept connections");
    }
  }

  @Test
  void respClientRendersEveryReplyType() {
    try (RedisServer redis = RedisServer.builder().start()) {
      RespClient client = redis.client();
      assertThat(client.command("PING")).isEqualTo("PONG");
      assertThat(client.command("SET", "k", "line1\r\nline2 ü")).isEqualTo("OK");
      assertThat(client.command("GET", "k")).isEqualTo("line1\r\nline2 ü");
      assertThat(client.command("GET", "missing")).isNull();
      assertThat(client.command("INCR", "n")).isEqualTo("1");
      assertThat(client.call("INCR", "n")).isEqualTo(2L);
      assertThat(client.command("EXPIRE", "k", "100")).isEqualTo("1");
      assertThat(Long.parseLong(client.command("TTL", "k"))).isBetween(90L, 100L);
      assertThat(client.command("RPUSH", "list", "a", "b")).isEqualTo("2");
      assertThat(client.call("LRANGE", "list", "0", "-1")).isEqualTo(List.of("a", "b"));
      assertThat(client.command("CLIENT", "LIST")).contains("cmd=client");
      assertThatThrownBy(() -> client.command("NOSUCHCOMMAND"))
          .isInstanceOf(RespException.class)
          .hasMessageStartingWith("ERR unknown command")
          .satisfies(e -> assertThat(((RespException) e).errorCode()).isEqualTo("ERR"));
      assertThatThrownBy(() -> client.command("INCR", "list"))
          .isInstanceOf(RespException.class)
          .hasMessageStartingWith("WRONGTYPE");
      // the connection is still in sync after error replies
      assertThat(client.command("DBSIZE")).isEqualTo("3");
    }
  }

  @Test
  void requirepassIsUsedByTheServersOwnClients() {
    try (RedisServer redis = RedisServer.builder().config("requirepass secret").start();
        RespClient anonymous = new RespClient(redis.host(), redis.port())) {
      assertThat(redis.password()).contains("secret");
      assertThat(redis.client().command("DBSIZE")).isEqualTo("0");
      assertThatThrownBy(() -> anonymous.command("DBSIZE"))
          .isInstanceOf(RespException.class)
          .satisfies(e -> assertThat(((RespException) e).errorCode()).isEqualTo("NOAUTH"));
    }
  }

  @Test
  void killEndsTheProcessAndStartBringsItBackOnTheSamePort() {
    try (RedisServer redis = RedisServer.builder().start()) {
      int port = redis.port();
      long pid = redis.pid();
      redis.client().command("SET", "k", "v");

      redis.kill();

      assertThat(redis.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid)).isEmpty();
      assertThatThrownBy(() -> redis.client().command("PING"))
          .isInstanceOf(UncheckedIOException.class);

      redis.start();

      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.pid()).isNotEqualTo(pid);
      assertThat(redis.client().command("PING")).isEqualTo("PONG");
      assertThat(redis.client().command("GET", "k")).as("nothing persisted").isNull();
    }
  }

  @Test
  void pausedServerDoesNotAnswerUntilResumed() {
    try (RedisServer redis = RedisServer.builder().start();
        RespClient client = redis.newClient(Duration.ofMillis(300))) {
      assertThat(client.command("PING")).isEqualTo("PONG");

      redis.pause();
      assertThat(redis.isPaused()).isTrue();
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.command("PING"))
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(250));

      redis.resume();
      assertThat(redis.isPaused()).isFalse();
      assertThat(client.command("PING")).isEqualTo("PONG");
    }
  }

  @Test
  void stopWorksOnAPausedServerAndCloseDeletesTheDirectory() throws Exception {
    RedisServer redis = RedisServer.builder().start();
    long pid = redis.pid();
    Path directory = redis.directory();
    redis.pause();

    redis.stop();

    assertThat(ProcessHandle.of(pid)).isEmpty();
    assertThat(redis.logTail(100)).contains("eady to exit");
    redis.close();
    assertThat(directory).doesNotExist();
  }

  @Test
  void replicaofFollowsAnotherServer() throws Exception {
    try (RedisServer primary = RedisServer.builder().start();
        RedisServer replica =
            RedisServer.builder().config("replicaof 127.0.0.1 " + primary.port()).start()) {
      primary.client().command("SET", "k", "from-primary");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!"from-primary".equals(replica.client().command("GET", "k"))) {
        assertThat(System.nanoTime()).as("replica caught up within 10 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(replica.client().command("INFO", "replication")).contains("role:slave");
    }
  }

  @Test
  void aBadConfigFailsFastWithTheLogTail() {
    RedisServer redis = RedisServer.builder().config("no-such-directive 1").build();
    try {
      assertThatThrownBy(redis::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("no-such-directive");
      assertThat(redis.isRunning()).isFalse();
    } finally {
      redis.close();
    }
  }

  @Test
  void aNamedBinaryThatDoesNotExistIsReportedClearly() {
    String previous = System.getProperty(RedisServer.BINARY_PROPERTY);
    System.setProperty(RedisServer.BINARY_PROPERTY, "/nonexistent/redis-server");
    try {
      assertThatThrownBy(() -> RedisServer.builder().build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(RedisServer.BINARY_PROPERTY)
          .hasMessageContaining("/nonexistent/redis-server");
    } finally {
      if (previous == null) {
        System.clearProperty(RedisServer.BINARY_PROPERTY);
      } else {
        System.setProperty(RedisServer.BINARY_PROPERTY, previous);
      }
    }
  }
}
