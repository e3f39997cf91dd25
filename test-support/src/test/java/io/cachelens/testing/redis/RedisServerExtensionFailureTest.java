package io.cachelens.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs deliberately failing fixtures (nested, so surefire skips them) through the test kit. */
class RedisServerExtensionFailureTest {

  static volatile RedisServer lastServer;
  static volatile Path lastDirectory;

  @Test
  void aClassLevelServerIsStoppedAndItsLogPrintedWhenATestFails() {
    String stderr = runCapturingStderr(FailingWithStaticField.class);

    assertThat(lastServer.isRunning()).isFalse();
    assertThat(lastDirectory).doesNotExist();
    assertThat(stderr).contains("failed; RedisServer[", "log tail:", "eady to accept connections");
  }

  @Test
  void aPerTestServerIsStoppedWhenATestFails() {
    String stderr = runCapturingStderr(FailingWithInstanceField.class);

    assertThat(lastServer.isRunning()).isFalse();
    assertThat(lastDirectory).doesNotExist();
    assertThat(stderr).contains("failing()", "eady to accept connections");
  }

  @Test
  void anInjectedServerIsStoppedWhenATestFails() {
    runCapturingStderr(FailingWithInjection.class);

    assertThat(lastServer.isRunning()).isFalse();
    assertThat(lastDirectory).doesNotExist();
  }

  private static String runCapturingStderr(Class<?> fixture) {
    lastServer = null;
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    EngineExecutionResults results;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    } finally {
      System.setErr(original);
    }
    results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    assertThat(lastServer).isNotNull();
    return captured.toString(StandardCharsets.UTF_8);
  }

  static class FailingWithStaticField {
    @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();

    @Test
    void failing() {
      lastServer = redis.server();
      lastDirectory = redis.server().directory();
      throw new AssertionError("deliberate failure");
    }
  }

  static class FailingWithInstanceField {
    @RegisterExtension RedisServerExtension redis = new RedisServerExtension();

    @Test
    void failing() {
      lastServer = redis.server();
      lastDirectory = redis.server().directory();
      throw new AssertionError("deliberate failure");
    }
  }

  @ExtendWith(RedisServerExtension.class)
  static class FailingWithInjection {
    @Test
    void failing(RedisServer server) {
      lastServer = server;
      lastDirectory = server.directory();
      throw new IllegalStateException("deliberate failure");
    }
  }
}
