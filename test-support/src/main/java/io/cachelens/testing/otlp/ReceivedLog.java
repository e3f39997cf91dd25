package io.cachelens.testing.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One log record an {@link OtlpReceiver} got, with its resource and instrumentation scope. */
public final class ReceivedLog {

  private final Resource resource;
  private final InstrumentationScope scope;
  private final LogRecord record;

  /** Wraps a decoded log record with its resource and scope. */
  public ReceivedLog(Resource resource, InstrumentationScope scope, LogRecord record) {
    this.resource = Objects.requireNonNull(resource, "resource");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.record = Objects.requireNonNull(record, "record");
  }

  /** The decoded log record. */
  public LogRecord record() {
    return record;
  }

  /** The resource of the batch the record came in. */
  public Resource resource() {
    return resource;
  }

  /** The instrumentation scope of the batch the record came in. */
  public InstrumentationScope scope() {
    return scope;
  }

  /** The text form of the body, or null when it has none. */
  public String body() {
    return record.hasBody() ? OtlpAttributes.text(record.getBody()) : null;
  }

  /** The event name, such as {@code cachelens.audit.finding} (empty when none). */
  public String eventName() {
    return record.getEventName();
  }

  /** The severity number, such as {@code SEVERITY_NUMBER_WARN}. */
  public SeverityNumber severityNumber() {
    return record.getSeverityNumber();
  }

  /** The severity text, such as {@code WARN} (empty when none). */
  public String severityText() {
    return record.getSeverityText();
  }

  /** The text form of a record attribute, or null when absent. */
  public String attribute(String key) {
    return OtlpAttributes.text(record.getAttributesList(), key);
  }

  /**
   * An integer record attribute, or null when absent.
   *
   * @throws IllegalArgumentException when the attribute is not an integer
   */
  public Long longAttribute(String key) {
    return OtlpAttributes.longValue(record.getAttributesList(), key);
  }

  /**
   * A floating-point record attribute (integers widened), or null when absent.
   *
   * @throws IllegalArgumentException when the attribute is not a number
   */
  public Double doubleAttribute(String key) {
    return OtlpAttributes.doubleValue(record.getAttributesList(), key);
  }

  /**
   * The elements of an array record attribute in their text form, or null when absent.
   *
   * @throws IllegalArgumentException when the attribute is not an array
   */
  public List<String> listAttribute(String key) {
    return OtlpAttributes.textList(record.getAttributesList(), key);
  }

  /** All record attributes as key to text form. */
  public Map<String, String> attributes() {
    return OtlpAttributes.toMap(record.getAttributesList());
  }

  /** The text form of a resource attribute, or null when absent. */
  public String resourceAttribute(String key) {
    return OtlpAttributes.text(resource.getAttributesList(), key);
  }

  /** The trace id as lowercase hex (empty when not in a trace). */
  public String traceId() {
    return OtlpAttributes.hex(record.getTraceId());
  }

  /** The span id as lowercase hex (empty when not in a span). */
  public String spanId() {
    return OtlpAttributes.hex(record.getSpanId());
  }

  @Override
  public String toString() {
    return "Log["
        + (eventName().isEmpty() ? "" : eventName() + " ")
        + severityText()
        + " "
        + body()
        + " "
        + attributes()
        + "]";
  }
}
