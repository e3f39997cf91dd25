package io.cachelens.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.connection.ConnectionTracker;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.prefix.PrefixConfig;
import io.cachelens.analysis.stats.CommandStats;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditMetricsTest {
  private static final int SERVER = 0;
  private static final int NO_KEY = (1 << 20) - 1;

  private final CommandCatalog catalog = CommandCatalog.standard();
  private final KeyPrefixInferrer prefixes = new KeyPrefixInferrer(PrefixConfig.defaults());
  private final CommandStatsTable table = new CommandStatsTable(64);
  private final ConnectionTracker connections = new ConnectionTracker(Instant.EPOCH, 0, 2);
  private final Reader reader = new Reader();
  private SdkMeterProvider provider;

  @BeforeEach
  void registerOnARealMeterProvider() {
    provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    new AuditMetrics(table, catalog, prefixes, NO_KEY, connections, () -> 1_000_000_000L)
        .registerOn(provider.get("io.cachelens"));
  }

  @AfterEach
  void shutDown() {
    provider.shutdown().join(1, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void writesWithoutTtlAreTheAuditsFigurePerPrefixWithZeroForPrefixesThatSetTtls() {
    write("SET", "product:cache:1", CommandStats.TTL_NONE, 7);
    write("MSET", "product:cache:2", CommandStats.TTL_NONE, 3);
    // HSET then EXPIRE: counted without TTL, then rescued by the EXPIRE.
    write("HSET", "order:recent:1", CommandStats.TTL_NONE, 4);
    cell("EXPIRE", "order:recent:1").record(1_000, false, CommandStats.TTL_SET);
    cell("EXPIRE", "order:recent:1").recordTtlSetLater(4);
    write("SETEX", "session:user:1", CommandStats.TTL_SET, 2);
    // Reads, keyless commands and handshakes are not prefixes with writes.
    cell("GET", "config:flags").record(1_000, false, CommandStats.TTL_NOT_A_WRITE);
    table
        .cell(SERVER, catalog.lookup("PING").id(), NO_KEY)
        .record(1_000, false, CommandStats.TTL_NOT_A_WRITE);

    MetricData writes = metric(AuditMetrics.WRITES_WITHOUT_TTL);

    assertThat(writes.getType()).isEqualTo(MetricDataType.LONG_SUM);
    assertThat(writes.getLongSumData().isMonotonic()).isTrue();
    assertThat(writes.getLongSumData().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(writes.getUnit()).isEqualTo("{write}");
    assertThat(byAttribute(writes, AuditMetrics.KEY_PREFIX))
        .containsExactly(
            Map.entry("order:recent:*", 0L),
            Map.entry("product:cache:*", 10L),
            Map.entry("session:user:*", 0L));
  }

  @Test
  void aWriteWaitingForItsExpireIsCountedOnceAndTheCounterNeverGoesDown() {
    write("SET", "product:cache:1", CommandStats.TTL_NONE, 5);
    write("HSET", "order:recent:1", CommandStats.TTL_NONE, 1);
    assertThat(byAttribute(metric(AuditMetrics.WRITES_WITHOUT_TTL), AuditMetrics.KEY_PREFIX))
        .containsEntry("order:recent:*", 1L);

    // The EXPIRE arrives after the collection: the audit takes the write back, the counter holds.
    cell("EXPIRE", "order:recent:1").record(1_000, false, CommandStats.TTL_SET);
    cell("EXPIRE", "order:recent:1").recordTtlSetLater(1);
    write("SET", "product:cache:1", CommandStats.TTL_NONE, 2);

    assertThat(byAttribute(metric(AuditMetrics.WRITES_WITHOUT_TTL), AuditMetrics.KEY_PREFIX))
        .containsEntry("order:recent:*", 1L)
        .containsEntry("product:cache:*", 7L);
  }

  @Test
  void connectionsOpenedSumToEveryOpenSplitByCallSite() {
    for (int i = 0; i < 3; i++) {
      connections.opened(0, "com.acme.RateLimiter.check(RateLimiter.java:42)", true);
    }
    connections.opened(0, "com.acme.Orders.load(Orders.java:7)", true);
    // Beyond the tracker's two distinct sites: <other>.
    connections.opened(0, "com.acme.Reports.run(Reports.java:9)", true);
    // Captured, but no service frame on the stack.
    connections.opened(0, null, true);
    // Not captured: over the budget.
    connections.opened(0, null, false);
    connections.opened(0, null, false);

    MetricData opened = metric(AuditMetrics.CONNECTIONS_OPENED);

    assertThat(opened.getType()).isEqualTo(MetricDataType.LONG_SUM);
    assertThat(opened.getLongSumData().isMonotonic()).isTrue();
    assertThat(opened.getUnit()).isEqualTo("{connection}");
    Map<String, Long> bySite = byAttribute(opened, AuditMetrics.CALL_SITE_KEY);
    assertThat(bySite)
        .containsExactly(
            Map.entry("<no service frame>", 1L),
            Map.entry("<other>", 1L),
            Map.entry("<unsampled>", 2L),
            Map.entry("com.acme.Orders.load(Orders.java:7)", 1L),
            Map.entry("com.acme.RateLimiter.check(RateLimiter.java:42)", 3L));
    assertThat(bySite.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(8);
  }

  @Test
  void nothingObservedMeansNoPoints() {
    assertThat(reader.collect()).isEmpty();
  }

  private void write(String command, String key, int ttl, int times) {
    CommandStats cell = cell(command, key);
    for (int i = 0; i < times; i++) {
      cell.record(1_000, false, ttl);
    }
  }

  private CommandStats cell(String command, String key) {
    return table.cell(
        SERVER,
        catalog.lookup(command).id(),
        prefixes.prefixId(key.getBytes(StandardCharsets.UTF_8)));
  }

  private MetricData metric(String name) {
    return reader.collect().stream()
        .filter(metric -> metric.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  private static Map<String, Long> byAttribute(MetricData metric, AttributeKey<String> key) {
    Map<String, Long> values = new TreeMap<>();
    for (LongPointData point : metric.getLongSumData().getPoints()) {
      values.put(point.getAttributes().get(key), point.getValue());
    }
    return values;
  }

  /** A pull reader: collects when the test asks. */
  private static final class Reader implements MetricReader {
    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    Collection<MetricData> collect() {
      return registration.collectAllMetrics();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
