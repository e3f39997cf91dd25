package io.cachelens.testing.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span an {@link OtlpReceiver} got, with the resource and instrumentation scope it came with.
 */
public final class ReceivedSpan {

  private final Resource resource;
  private final InstrumentationScope scope;
  private final Span span;

  /** Wraps a decoded span with its resource and scope. */
  public ReceivedSpan(Resource resource, InstrumentationScope scope, Span span) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.span = Objects.requireNonNull(span, "span");
  }

  /** The decoded span. */
  public Span span() {
    return span;
  }

  /** The resource of the batch the span came in. */
  public Resource resource() {
    return resource;
  }

  /** The instrumentation scope of the batch the span came in. */
  public InstrumentationScope scope() {
    return scope;
  }

  /** The instrumentation scope's name. */
  public String scopeName() {
    return scope.getName();
  }

  /** The span name. */
  public String name() {
    return span.getName();
  }

  /** The span kind, such as {@link Span.SpanKind#SPAN_KIND_CLIENT}. */
  public Span.SpanKind kind() {
    return span.getKind();
  }

  /** The trace id as 32 lowercase hex characters. */
  public String traceId() {
    return OtlpAttributes.hex(span.getTraceId());
  }

  /** The span id as 16 lowercase hex characters. */
  public String spanId() {
    return OtlpAttributes.hex(span.getSpanId());
  }

  /** The parent span id as lowercase hex, or an empty string for a root span. */
  public String parentSpanId() {
    return OtlpAttributes.hex(span.getParentSpanId());
  }

  /** Whether the span has no parent. */
  public boolean isRoot() {
    return span.getParentSpanId().isEmpty();
  }

  /** The text form of a span attribute (see {@link OtlpAttributes#text}), or null when absent. */
  public String attribute(String key) {
    return OtlpAttributes.text(span.getAttributesList(), key);
  }

  /**
   * An integer span attribute, or null when absent.
   *
   * @throws IllegalArgumentException when the attribute is not an integer
   */
  public Long longAttribute(String key) {
    return OtlpAttributes.longValue(span.getAttributesList(), key);
  }

  /**
   * A boolean span attribute, or null when absent.
   *
   * @throws IllegalArgumentException when the attribute is not a boolean
   */
  public Boolean booleanAttribute(String key) {
    return OtlpAttributes.booleanValue(span.getAttributesList(), key);
  }

  /** Whether the span has the attribute. */
  public boolean hasAttribute(String key) {
    return OtlpAttributes.value(span.getAttributesList(), key) != null;
  }

  /** All span attributes as key to text form, in the order received. */
  public Map<String, String> attributes() {
    return OtlpAttributes.toMap(span.getAttributesList());
  }

  /** The text form of a resource attribute such as {@code service.name}, or null when absent. */
  public String resourceAttribute(String key) {
    return OtlpAttributes.text(resource.getAttributesList(), key);
  }

  /** All resource attributes as key to text form. */
  public Map<String, String> resourceAttributes() {
    return OtlpAttributes.toMap(resource.getAttributesList());
  }

  /** The status code. */
  public Status.StatusCode statusCode() {
    return span.getStatus().getCode();
  }

  /** The status message (empty when none). */
  public String statusMessage() {
    return span.getStatus().getMessage();
  }

  /** Whether the status code is {@link Status.StatusCode#STATUS_CODE_ERROR}. */
  public boolean isError() {
    return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
  }

  /** The span events, such as {@code exception}. */
  public List<Span.Event> events() {
    return span.getEventsList();
  }

  /** Whether the span has an event with this name. */
  public boolean hasEvent(String eventName) {
    return span.getEventsList().stream().anyMatch(e -> e.getName().equals(eventName));
  }

  /** Start time in nanoseconds since the epoch. */
  public long startEpochNanos() {
    return span.getStartTimeUnixNano();
  }

  /** End time in nanoseconds since the epoch. */
  public long endEpochNanos() {
    return span.getEndTimeUnixNano();
  }

  /** End minus start, in nanoseconds. */
  public long durationNanos() {
    return span.getEndTimeUnixNano() - span.getStartTimeUnixNano();
  }

  @Override
  public String toString() {
    return "Span["
        + name()
        + " "
        + kind()
        + (isError() ? " ERROR" : "")
        + " trace="
        + traceId()
        + " span="
        + spanId()
        + (isRoot() ? "" : " parent=" + parentSpanId())
        + " scope="
        + scopeName()
        + " "
        + attributes()
        + "]";
  }
}
