package io.cachelens.testing.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One metric an {@link OtlpReceiver} got, with the resource and instrumentation scope it came with.
 */
public final class ReceivedMetric {

  private final Resource resource;
  private final InstrumentationScope scope;
  private final Metric metric;

  /** Wraps a decoded metric with its resource and scope. */
  public ReceivedMetric(Resource resource, InstrumentationScope scope, Metric metric) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.metric = Objects.requireNonNull(metric, "metric");
  }

  /** The decoded metric. */
  public Metric metric() {
    return metric;
  }

  /** The resource of the batch the metric came in. */
  public Resource resource() {
    return resource;
  }

  /** The instrumentation scope of the batch the metric came in. */
  public InstrumentationScope scope() {
    return scope;
  }

  /** The instrumentation scope's name. */
  public String scopeName() {
    return scope.getName();
  }

  /** The metric name. */
  public String name() {
    return metric.getName();
  }

  /** The metric unit (empty when none). */
  public String unit() {
    return metric.getUnit();
  }

  /** Which kind of data the metric carries: gauge, sum, histogram, ... */
  public Metric.DataCase dataType() {
    return metric.getDataCase();
  }

  /** The text form of a resource attribute such as {@code service.name}, or null when absent. */
  public String resourceAttribute(String key) {
    return OtlpAttributes.text(resource.getAttributesList(), key);
  }

  /** All resource attributes as key to text form. */
  public Map<String, String> resourceAttributes() {
    return OtlpAttributes.toMap(resource.getAttributesList());
  }

  /** The data points of a gauge or sum; empty for other kinds. */
  public List<NumberDataPoint> numberDataPoints() {
    switch (metric.getDataCase()) {
      case GAUGE:
        return metric.getGauge().getDataPointsList();
      case SUM:
        return metric.getSum().getDataPointsList();
      default:
        return List.of();
    }
  }

  /** The data points of an explicit-bucket histogram; empty for other kinds. */
  public List<HistogramDataPoint> histogramDataPoints() {
    return metric.getDataCase() == Metric.DataCase.HISTOGRAM
        ? metric.getHistogram().getDataPointsList()
        : List.of();
  }

  /**
   * The sum over all gauge/sum points of their value (integer points are widened): handy for a
   * counter split over attribute sets.
   */
  public double totalValue() {
    double total = 0;
    for (NumberDataPoint point : numberDataPoints()) {
      total +=
          point.getValueCase() == NumberDataPoint.ValueCase.AS_INT
              ? point.getAsInt()
              : point.getAsDouble();
    }
    return total;
  }

  /**
   * For a sum with integer points: each point's value by the text form of its attribute {@code key}
   * (a point without it under null), in attribute order. Handy for a counter split by one
   * attribute, such as a key prefix.
   *
   * @throws IllegalArgumentException when the metric is not a sum, a point is not an integer, or
   *     two points share a value of {@code key}
   */
  public Map<String, Long> longSumBy(String key) {
    if (metric.getDataCase() != Metric.DataCase.SUM) {
      throw new IllegalArgumentException(name() + " is a " + dataType() + ", not a sum");
    }
    Map<String, Long> values = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
    for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
      if (point.getValueCase() != NumberDataPoint.ValueCase.AS_INT) {
        throw new IllegalArgumentException(name() + " has a non-integer point: " + point);
      }
      String value = OtlpAttributes.text(point.getAttributesList(), key);
      if (values.containsKey(value)) {
        throw new IllegalArgumentException(name() + " has two points with " + key + "=" + value);
      }
      values.put(value, point.getAsInt());
    }
    return values;
  }

  /** Whether the metric is a monotonic sum (a counter). */
  public boolean isMonotonicSum() {
    return metric.getDataCase() == Metric.DataCase.SUM && metric.getSum().getIsMonotonic();
  }

  /** The total count over all histogram points. */
  public long histogramCount() {
    long count = 0;
    for (HistogramDataPoint point : histogramDataPoints()) {
      count += point.getCount();
    }
    return count;
  }

  @Override
  public String toString() {
    int points =
        numberDataPoints().size()
            + histogramDataPoints().size()
            + (metric.hasExponentialHistogram()
                ? metric.getExponentialHistogram().getDataPointsCount()
                : 0)
            + (metric.hasSummary() ? metric.getSummary().getDataPointsCount() : 0);
    return "Metric["
        + name()
        + " "
        + dataType()
        + " points="
        + points
        + " scope="
        + scopeName()
        + "]";
  }
}
