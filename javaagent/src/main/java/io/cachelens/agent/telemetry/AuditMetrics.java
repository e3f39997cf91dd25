package io.cachelens.agent.telemetry;

import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.command.CommandCatalog;
import io.cachelens.analysis.command.CommandInfo;
import io.cachelens.analysis.connection.ConnectionTracker;
import io.cachelens.analysis.prefix.KeyPrefixInferrer;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The audit's two counters, {@code cachelens.writes.without_ttl} by key prefix and {@code
 * cachelens.connections.opened} by call site, as asynchronous counters: the SDK calls back at
 * collection time and the callback reads the state the sink and the audit collector keep anyway
 * (the command table's cells, the connection tracker's call-site table), so commands and connection
 * opens pay nothing for these metrics.
 *
 * <p>{@code cachelens.writes.without_ttl} has the audit's meaning: the JSON's {@code
 * writesWithoutTtl} of the prefix, writes that left their key without an expiry minus those that an
 * EXPIRE (or SET … EX) rescued within the grace window. That figure can step down while a write
 * waits for its EXPIRE, which a counter may not do: each series reports the highest value it has
 * reached, so it can exceed the audit by the writes that were waiting for their EXPIRE at one
 * collection (usually none; at most a few per thread that sends INCR then EXPIRE one at a time).
 * Every prefix with writes gets a series, so a prefix whose writes all set a TTL reads 0.
 *
 * <p>{@code cachelens.connections.opened} sums to every connection the service opened. Stacks are
 * captured within a budget, so opens are split by {@value #CALL_SITE}: the frame that opened them
 * ({@code com.acme.RateLimiter.check(RateLimiter.java:42)}), {@value CallSiteCount#OTHER} for
 * frames beyond the tracker's limit of distinct sites, {@value #NO_SERVICE_FRAME} when the stack
 * held no service code, and {@value #UNSAMPLED} when the stack was not captured.
 */
public final class AuditMetrics {
  static final String WRITES_WITHOUT_TTL = "cachelens.writes.without_ttl";
  static final String CONNECTIONS_OPENED = "cachelens.connections.opened";
  static final AttributeKey<String> KEY_PREFIX = AttributeKey.stringKey("cachelens.key.prefix");

  /** The attribute that names the code that opened connections. */
  static final String CALL_SITE = "cachelens.call_site";

  static final AttributeKey<String> CALL_SITE_KEY = AttributeKey.stringKey(CALL_SITE);

  /** The call site of opens whose stack was not captured (over the capture budget). */
  static final String UNSAMPLED = "<unsampled>";

  /** The call site of opens whose captured stack held no frame of the service's own code. */
  static final String NO_SERVICE_FRAME = "<no service frame>";

  private final CommandStatsTable table;
  private final CommandCatalog catalog;
  private final KeyPrefixInferrer prefixes;
  private final int noKeyPrefixId;
  private final ConnectionTracker connections;
  private final LongSupplier nanoTime;
  private final MonotonicSeries writes = new MonotonicSeries();
  private final MonotonicSeries opens = new MonotonicSeries();
  private final Map<String, Attributes> prefixAttributes = new ConcurrentHashMap<>();
  private final Map<String, Attributes> siteAttributes = new ConcurrentHashMap<>();

  AuditMetrics(
      CommandStatsTable table,
      CommandCatalog catalog,
      KeyPrefixInferrer prefixes,
      int noKeyPrefixId,
      ConnectionTracker connections,
      LongSupplier nanoTime) {
    this.table = table;
    this.catalog = catalog;
    this.prefixes = prefixes;
    this.noKeyPrefixId = noKeyPrefixId;
    this.connections = connections;
    this.nanoTime = nanoTime;
  }

  /** Registers both counters on {@code meter}, reading {@code sink}'s state when collected. */
  public static AuditMetrics register(Meter meter, CacheLensSink sink) {
    AuditMetrics metrics =
        new AuditMetrics(
            sink.table(),
            sink.catalog(),
            sink.prefixes(),
            CacheLensSink.NO_KEY_PREFIX_ID,
            sink.audit().connections(),
            System::nanoTime);
    metrics.registerOn(meter);
    return metrics;
  }

  void registerOn(Meter meter) {
    meter
        .counterBuilder(WRITES_WITHOUT_TTL)
        .setUnit("{write}")
        .setDescription(
            "Writes that left their key without an expiry (no EXPIRE within the grace window),"
                + " by key prefix.")
        .buildWithCallback(this::observeWritesWithoutTtl);
    meter
        .counterBuilder(CONNECTIONS_OPENED)
        .setUnit("{connection}")
        .setDescription(
            "Connections the service opened, by the code that opened them; <unsampled> when"
                + " its stack was not captured.")
        .buildWithCallback(this::observeConnectionsOpened);
  }

  /**
   * Per prefix, as the audit counts it: the service's commands only (no handshake, no spill cell),
   * writes without TTL minus the writes given a TTL later. Every cell's writes are read before any
   * cell's rescues, so a write and its EXPIRE landing during the walk can only make the figure
   * smaller, never larger, than it will settle at.
   */
  void observeWritesWithoutTtl(ObservableLongMeasurement measurement) {
    Map<String, long[]> byPrefix = new HashMap<>();
    table.forEach(
        cell -> {
          int commandId = cell.commandId();
          int prefixId = cell.prefixId();
          if (commandId == CommandStatsTable.SPILL_COMMAND_ID || prefixId == noKeyPrefixId) {
            return;
          }
          CommandInfo info = catalog.byId(commandId);
          if (info.handshake() || !info.isWrite() || cell.count() == 0) {
            return;
          }
          byPrefix.computeIfAbsent(prefixName(prefixId), ignored -> new long[1])[0] +=
              cell.writesWithoutTtl();
        });
    table.forEach(
        cell -> {
          int prefixId = cell.prefixId();
          long rescued = cell.writesWithTtlLater();
          if (rescued == 0
              || cell.commandId() == CommandStatsTable.SPILL_COMMAND_ID
              || prefixId == noKeyPrefixId
              || catalog.byId(cell.commandId()).handshake()) {
            return;
          }
          long[] sums = byPrefix.get(prefixName(prefixId));
          if (sums != null) {
            sums[0] -= rescued;
          }
        });
    byPrefix.forEach(
        (prefix, sums) ->
            writes.observe(
                measurement,
                prefixAttributes.computeIfAbsent(prefix, p -> Attributes.of(KEY_PREFIX, p)),
                Math.max(0, sums[0])));
  }

  /** Per call site, with the opens that have none under {@link #UNSAMPLED} and so on. */
  void observeConnectionsOpened(ObservableLongMeasurement measurement) {
    ConnectionSummary summary = connections.summary(nanoTime.getAsLong());
    long withSite = 0;
    for (CallSiteCount site : summary.callSites()) {
      withSite += site.count();
      opens.observe(measurement, siteAttributes(site.site()), site.count());
    }
    long noServiceFrame = Math.max(0, summary.callSitesSampled() - withSite);
    long unsampled = Math.max(0, summary.opened() - Math.max(summary.callSitesSampled(), withSite));
    if (noServiceFrame > 0) {
      opens.observe(measurement, siteAttributes(NO_SERVICE_FRAME), noServiceFrame);
    }
    if (unsampled > 0) {
      opens.observe(measurement, siteAttributes(UNSAMPLED), unsampled);
    }
  }

  private Attributes siteAttributes(String site) {
    return siteAttributes.computeIfAbsent(site, s -> Attributes.of(CALL_SITE_KEY, s));
  }

  private String prefixName(int prefixId) {
    String name = prefixes.prefix(prefixId);
    return name != null ? name : "prefix#" + prefixId;
  }

  /**
   * Reports each series at the highest value it has reached, so that a counter never goes down
   * (which backends read as a restart).
   */
  static final class MonotonicSeries {
    private final Map<Attributes, Long> reported = new ConcurrentHashMap<>();

    void observe(ObservableLongMeasurement measurement, Attributes attributes, long value) {
      measurement.record(reported.merge(attributes, value, Math::max), attributes);
    }
  }
}
