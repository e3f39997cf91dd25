package io.cachelens.agent.telemetry;

import io.cachelens.agent.sink.CacheLensSink;
import io.cachelens.agent.sink.Target;
import io.cachelens.analysis.stats.CommandStats;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.analysis.stats.LatencyHistogram;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports the aggregation table as the semantic-convention histogram {@code
 * db.client.operation.duration}.
 *
 * <p>The hot path never touches the SDK: commands are counted into CacheLens's own lock-free cells,
 * and this producer turns the cells into cumulative histogram points when the SDK's metric reader
 * collects.
 */
public final class OperationDurationProducer implements MetricProducer {
  static final String NAME = "db.client.operation.duration";
  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> KEY_PREFIX = AttributeKey.stringKey("cachelens.key.prefix");
  private static final List<Double> BOUNDARIES;

  static {
    List<Double> boundaries = new ArrayList<>();
    for (double boundary : LatencyHistogram.SEMCONV_BOUNDARIES_SECONDS) {
      boundaries.add(boundary);
    }
    BOUNDARIES = Collections.unmodifiableList(boundaries);
  }

  private final CacheLensSink sink;
  private final InstrumentationScopeInfo scope;
  private final long startEpochNanos;
  private final CommandSpans clock;
  private final Map<CommandStats, Attributes> attributesByCell = new ConcurrentHashMap<>();

  public OperationDurationProducer(CacheLensSink sink, String version, CommandSpans clock) {
    this.sink = sink;
    this.scope = InstrumentationScopeInfo.builder("io.cachelens").setVersion(version).build();
    this.clock = clock;
    this.startEpochNanos = clock.epochNanos(System.nanoTime());
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    long now = clock.epochNanos(System.nanoTime());
    List<HistogramPointData> points = new ArrayList<>();
    sink.table()
        .forEach(
            cell -> {
              LatencyHistogram latency = cell.latency();
              if (latency.count() == 0) {
                return;
              }
              List<Long> counts = new ArrayList<>();
              for (long count : latency.semconvBucketCounts()) {
                counts.add(count);
              }
              points.add(
                  ImmutableHistogramPointData.create(
                      startEpochNanos,
                      now,
                      attributesByCell.computeIfAbsent(cell, this::attributes),
                      latency.sumNanos() / 1e9,
                      false,
                      0,
                      true,
                      latency.maxNanos() / 1e9,
                      BOUNDARIES,
                      counts));
            });
    if (points.isEmpty()) {
      return List.of();
    }
    return List.of(
        ImmutableMetricData.createDoubleHistogram(
            resource,
            scope,
            NAME,
            "Duration of Redis commands as the service saw them, from dispatch to reply.",
            "s",
            ImmutableHistogramData.create(AggregationTemporality.CUMULATIVE, points)));
  }

  private Attributes attributes(CommandStats cell) {
    Target target = sink.targets().byId(cell.serverId());
    var builder =
        target.attributes().toBuilder()
            .put(
                DB_OPERATION_NAME,
                cell.commandId() == CommandStatsTable.SPILL_COMMAND_ID
                    ? "<other>"
                    : sink.catalog().byId(cell.commandId()).name());
    if (cell.prefixId() != CacheLensSink.NO_KEY_PREFIX_ID) {
      builder.put(KEY_PREFIX, sink.prefixes().prefix(cell.prefixId()));
    }
    return builder.build();
  }
}
