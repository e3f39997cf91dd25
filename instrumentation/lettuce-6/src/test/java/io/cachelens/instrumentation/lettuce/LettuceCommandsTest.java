package io.cachelens.instrumentation.lettuce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.instrumentation.api.CommandFlags;
import io.cachelens.instrumentation.api.RedisConnection;
import io.cachelens.instrumentation.lettuce.RecordingSink.Completed;
import io.cachelens.testing.redis.RedisServerExtension;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Commands through every Lettuce API against a real redis-server, with exact counts. */
class LettuceCommandsTest {

  @RegisterExtension static RedisServerExtension redis = RedisServerExtension.withConfig();

  private final RecordingSink sink = RecordingSink.INSTANCE;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisConnection observed;

  @BeforeEach
  void connect() {
    assertThat(TestAgent.errors()).isEmpty();
    sink.clear();
    client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    connection = client.connect();
    sink.awaitState("connection opened", s -> s.opened().size() == 1);
    observed = sink.opened().get(0);
    RecordingSink.settle();
    // The handshake (HELLO, CLIENT SETINFO) goes straight to the channel: not reported.
    assertThat(sink.commands()).isEmpty();
  }

  @AfterEach
  void shutdown() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    assertThat(TestAgent.errors()).isEmpty();
  }

  @Test
  void instrumentsTheHookClasses() {
    assertThat(TestAgent.transformed())
        .contains(
            "io.lettuce.core.protocol.DefaultEndpoint",
            "io.lettuce.core.protocol.CommandHandler",
            "io.lettuce.core.ConnectionBuilder",
            "io.lettuce.core.protocol.AsyncCommand",
            "io.lettuce.core.protocol.Command",
            "io.lettuce.core.protocol.CommandWrapper");
  }

  @Test
  void connectionDescribesServerAndSockets() {
    assertThat(observed.client()).isEqualTo("lettuce");
    assertThat(observed.serverAddress()).isEqualTo(redis.host());
    assertThat(observed.serverPort()).isEqualTo(redis.port());
    assertThat(observed.peer().getPort()).isEqualTo(redis.port());
    assertThat(observed.peer().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(observed.local()).isNotNull();
    assertThat(observed.database()).isZero();
    assertThat(observed.reader()).isSameAs(LettuceCommandReader.INSTANCE);
  }

  @Test
  void syncSetAndGet() {
    RedisCommands<String, String> sync = connection.sync();
    int n = 50;
    for (int i = 0; i < n; i++) {
      sync.set("sync:" + i, "value");
      assertThat(sync.get("sync:" + i)).isEqualTo("value");
    }
    List<Completed> all = sink.await(2 * n);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(2 * n);
    assertThat(sink.commands("SET")).hasSize(n);
    assertThat(sink.commands("GET")).hasSize(n);
    for (Completed c : all) {
      assertThat(c.connection).isSameAs(observed);
      assertThat(c.error).isNull();
      assertThat(c.has(CommandFlags.PIPELINED | CommandFlags.TRANSACTION | CommandFlags.INTERNAL))
          .as(c.toString())
          .isFalse();
      assertThat(c.batchSize).isZero();
      assertThat(c.endNanos).isGreaterThan(c.startNanos);
    }
    Completed firstSet = sink.commands("SET").get(0);
    assertThat(firstSet.type).isSameAs(CommandType.SET);
    assertThat(firstSet.argumentCount).isEqualTo(2);
    assertThat(firstSet.arguments).containsExactly("sync:0", null);
    assertThat(sink.commands("GET").get(0).arguments).containsExactly("sync:0");
  }

  @Test
  void asyncWith64InFlightCompletesOnTheEventLoopWithTheCallerContext() throws Exception {
    RedisAsyncCommands<String, String> async = connection.async();
    int n = 2000;
    Semaphore inFlight = new Semaphore(64);
    List<RedisFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      RedisFuture<String> future =
          (i % 2 == 0) ? async.set("async:" + (i % 100), "v") : async.get("async:" + (i % 100));
      future.whenComplete((r, e) -> inFlight.release());
      futures.add(future);
    }
    assertThat(
            LettuceFutures.awaitAll(Duration.ofSeconds(20), futures.toArray(new RedisFuture<?>[0])))
        .isTrue();
    List<Completed> all = sink.await(n);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(n);
    assertThat(sink.commands("SET")).hasSize(n / 2);
    assertThat(sink.commands("GET")).hasSize(n / 2);
    Thread caller = Thread.currentThread();
    for (Completed c : all) {
      assertThat(c.thread).isNotSameAs(caller);
      assertThat(c.has(CommandFlags.ASYNC)).as(c.toString()).isTrue();
      assertThat(c.callerContext).isInstanceOf(RecordingSink.Captured.class);
      assertThat(((RecordingSink.Captured) c.callerContext).thread).isSameAs(caller);
      assertThat(c.error).isNull();
    }
  }

  @Test
  void reactiveStartsOnSubscribe() {
    RedisReactiveCommands<String, String> reactive = connection.reactive();
    Mono<String> set = reactive.set("reactive", "v");
    RecordingSink.sleep(150);
    assertThat(sink.commands()).isEmpty();
    assertThat(set.block()).isEqualTo("OK");
    List<String> values =
        Flux.range(0, 20).flatMap(i -> reactive.get("reactive")).collectList().block();
    assertThat(values).hasSize(20);
    StepErrors.expectError(reactive.lpush("reactive", "x"));

    sink.await(22);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(22);
    Completed setRecord = sink.commands("SET").get(0);
    // Dispatch happened at subscribe, not when the Mono was created 150 ms earlier.
    assertThat(setRecord.duration()).isLessThan(Duration.ofMillis(140));
    assertThat(sink.commands("GET")).hasSize(20).allMatch(c -> c.error == null);
    Completed lpush = sink.commands("LPUSH").get(0);
    assertThat(lpush.error)
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageStartingWith("WRONGTYPE");
  }

  @Test
  void pipelinedCommandsCarryBatchSizeAndQueueTime() throws Exception {
    RedisAsyncCommands<String, String> async = connection.async();
    connection.setAutoFlushCommands(false);
    try {
      List<RedisFuture<?>> first = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        first.add(async.set("pipe:" + i, "v"));
      }
      RecordingSink.sleep(60);
      connection.flushCommands();
      assertThat(
              LettuceFutures.awaitAll(10, TimeUnit.SECONDS, first.toArray(new RedisFuture<?>[0])))
          .isTrue();
      List<RedisFuture<?>> second = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        second.add(async.get("pipe:" + i));
      }
      connection.flushCommands();
      assertThat(
              LettuceFutures.awaitAll(10, TimeUnit.SECONDS, second.toArray(new RedisFuture<?>[0])))
          .isTrue();
    } finally {
      connection.setAutoFlushCommands(true);
    }
    sink.await(15);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(15);
    assertThat(sink.commands("SET"))
        .hasSize(10)
        .allSatisfy(
            c -> {
              assertThat(c.has(CommandFlags.PIPELINED)).isTrue();
              assertThat(c.batchSize).isEqualTo(10);
              // Written, then held 60 ms in the client before flushCommands().
              assertThat(c.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
            });
    assertThat(sink.commands("GET"))
        .hasSize(5)
        .allSatisfy(
            c -> {
              assertThat(c.has(CommandFlags.PIPELINED)).isTrue();
              assertThat(c.batchSize).isEqualTo(5);
            });
  }

  @Test
  void collectionDispatchIsOneBatch() {
    List<AsyncCommand<String, String, Long>> commands = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      commands.add(
          new AsyncCommand<>(
              new Command<>(
                  CommandType.INCR,
                  new IntegerOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).addKey("batch"))));
    }
    connection.dispatch(commands);
    assertThat(
            LettuceFutures.awaitAll(Duration.ofSeconds(5), commands.toArray(new RedisFuture<?>[0])))
        .isTrue();
    sink.await(3);
    RecordingSink.settle();
    assertThat(sink.commands())
        .hasSize(3)
        .allMatch(c -> c.batchSize == 3 && c.has(CommandFlags.PIPELINED) && c.error == null);
  }

  @Test
  void multiExecFlagsQueuedCommands() {
    RedisCommands<String, String> sync = connection.sync();
    sync.multi();
    sync.set("tx", "1");
    sync.incr("tx");
    sync.get("tx");
    TransactionResult result = sync.exec();
    assertThat(result.wasDiscarded()).isFalse();
    assertThat(result).hasSize(3);

    sink.await(5);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(5);
    for (String name : List.of("SET", "INCR", "GET")) {
      Completed queued = sink.commands(name).get(0);
      assertThat(queued.has(CommandFlags.TRANSACTION)).as(queued.toString()).isTrue();
      assertThat(queued.batchSize).isEqualTo(3);
      assertThat(queued.error).isNull();
    }
    Completed exec = sink.commands("EXEC").get(0);
    assertThat(exec.has(CommandFlags.TRANSACTION)).isTrue();
    assertThat(exec.batchSize).isEqualTo(3);
    Completed multi = sink.commands("MULTI").get(0);
    assertThat(multi.has(CommandFlags.TRANSACTION)).isTrue();
    // MULTI's reply arrives before the transaction's size is known.
    assertThat(multi.batchSize).isZero();
  }

  @Test
  void errorReplyIsReportedWithTheExecutionException() {
    RedisCommands<String, String> sync = connection.sync();
    sync.set("wrongtype", "x");
    assertThatThrownBy(() -> sync.lpush("wrongtype", "y"))
        .isInstanceOf(RedisCommandExecutionException.class);
    sink.await(2);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(2);
    Completed lpush = sink.commands("LPUSH").get(0);
    assertThat(lpush.error)
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageStartingWith("WRONGTYPE");
    assertThat(sink.commands("SET").get(0).error).isNull();
  }

  @Test
  void timeoutAgainstPausedServer() throws Exception {
    connection.setTimeout(Duration.ofMillis(300));
    RedisAsyncCommands<String, String> async = connection.async();
    RedisFuture<String> get;
    redis.server().pause();
    try {
      get = async.get("paused");
      assertThatThrownBy(() -> get.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RedisCommandTimeoutException.class);
    } finally {
      redis.server().resume();
    }
    // The late reply for the timed-out GET must not produce a second report.
    assertThat(connection.sync().ping()).isEqualTo("PONG");
    sink.await(2);
    RecordingSink.settle();
    assertThat(sink.commands()).hasSize(2);
    Completed timedOut = sink.commands("GET").get(0);
    assertThat(timedOut.error).isInstanceOf(RedisCommandTimeoutException.class);
    assertThat(timedOut.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    assertThat(timedOut.has(CommandFlags.ASYNC)).isTrue();
    assertThat(sink.commands("PING").get(0).error).isNull();
  }

  @Test
  void aSyncCommandThatTimesOutIsHandedToTheSinkOnceOnItsCallersThread() throws Exception {
    connection.setTimeout(Duration.ofMillis(300));
    RedisCommands<String, String> sync = connection.sync();
    redis.server().pause();
    try {
      assertThatThrownBy(() -> sync.get("paused")).isInstanceOf(RedisCommandTimeoutException.class);
    } finally {
      redis.server().resume();
    }
    assertThat(sync.ping()).isEqualTo("PONG");
    sink.await(2);
    RecordingSink.settle();
    Completed timedOut = sink.commands("GET").get(0);
    assertThat(timedOut.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(290));
    // The caller's stack is read where the command completed if that was on the caller's thread
    // (the wait timed out and cancelled it), else where the wait ended: never both.
    List<String> getAwaited =
        sink.awaited().stream().filter(awaited -> awaited.startsWith("GET ")).toList();
    if (timedOut.has(CommandFlags.ASYNC)) {
      assertThat(getAwaited).containsExactly("GET on " + Thread.currentThread());
    } else {
      assertThat(timedOut.thread).isSameAs(Thread.currentThread());
      assertThat(getAwaited).isEmpty();
    }
  }

  @Test
  void selectUpdatesTheDatabase() {
    RedisCommands<String, String> sync = connection.sync();
    sync.select(3);
    sink.await(1);
    assertThat(observed.database()).isEqualTo(3);
    assertThatThrownBy(() -> sync.select(100000))
        .isInstanceOf(RedisCommandExecutionException.class);
    sink.await(2);
    assertThat(observed.database()).isEqualTo(3);
    sync.select(0);
    sink.await(3);
    assertThat(observed.database()).isZero();
  }

  @Test
  void readerReadsKeysKeywordsAndBinaryArguments() {
    connection.sync().set("reader:key", "value", SetArgs.Builder.ex(10));
    connection.sync().set("reader:big", "value", SetArgs.Builder.px(123456789));
    StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE);
    try {
      byte[] key = {'b', 'i', 'n', 0, 1};
      binary.sync().set(key, "v".getBytes(StandardCharsets.UTF_8));
      List<Completed> sets = sink.await(c -> c.name.equals("SET"), 3);
      assertThat(sets.get(0).arguments).containsExactly("reader:key", null, "EX", "10");
      assertThat(sets.get(1).arguments).containsExactly("reader:big", null, "PX", "123456789");
      Completed binarySet = sets.get(2);
      assertThat(LettuceCommandReader.INSTANCE.argument(binarySet.command, 0)).isEqualTo(key);
      assertThat(binarySet.arguments.get(1)).isEqualTo("v");
      assertThat(LettuceCommandReader.INSTANCE.argument(binarySet.command, 7)).isNull();
      assertThat(LettuceCommandReader.INSTANCE.commandName(CommandType.SET)).isEqualTo("SET");
      assertThat(LettuceCommandReader.INSTANCE.commandType(new Object()))
          .isSameAs(LettuceCommandReader.UNKNOWN_TYPE);
    } finally {
      binary.close();
    }
  }

  @Test
  void closeReportsTheConnectionOnce() {
    connection.sync().ping();
    connection.close();
    sink.awaitState("connection closed", s -> s.closed().size() == 1);
    RecordingSink.settle();
    assertThat(sink.closed()).containsExactly(observed);
    assertThat(sink.opened()).containsExactly(observed);
  }

  /** Minimal reactive error check without reactor-test. */
  static final class StepErrors {
    static void expectError(Mono<?> mono) {
      assertThatThrownBy(mono::block).isInstanceOf(RedisCommandExecutionException.class);
    }
  }
}
