package io.cachelens.testing.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
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

  /** The severity text, such as {@code WARN} (empty when none). */
  public String severityText() {
    return record.getSeverityText();
  }

  /** The text form of a record attribute, or null when absent. */
  public String attribute(String key) {
    return OtlpAttributes.text(record.getAttributesList(), key);
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
    return "Log[" + severityText() + " " + body() + " " + attributes() + "]";
  }
}
