package io.cachelens.agent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns a finished command into an OpenTelemetry CLIENT span after the fact, with the command's own
 * start and end times. Spans are only built for commands that are traced or worth a look.
 *
 * <p>The SDK starts on a background thread so that it costs the service's start-up nothing; spans
 * that finish before it is ready wait in a bounded queue (the rest are dropped and counted) and are
 * emitted once it is.
 */
public final class CommandSpans {
  /** Spans kept while the SDK starts; a short-lived service's whole life may fit in that time. */
  static final int PENDING_LIMIT = 2_048;

  static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> KEY_PREFIX = AttributeKey.stringKey("cachelens.key.prefix");
  static final AttributeKey<String> TTL = AttributeKey.stringKey("cachelens.ttl");
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("cachelens.batch.size");
  static final AttributeKey<String> CODE_FUNCTION_NAME =
      AttributeKey.stringKey("code.function.name");
  static final AttributeKey<String> CODE_FILE_PATH = AttributeKey.stringKey("code.file.path");
  static final AttributeKey<Long> CODE_LINE_NUMBER = AttributeKey.longKey("code.line.number");

  private final long epochOffsetNanos;
  private final ArrayBlockingQueue<FinishedCommand> pending =
      new ArrayBlockingQueue<>(PENDING_LIMIT);
  private final LongAdder dropped = new LongAdder();
  private volatile boolean enabled;
  private volatile Tracer tracer;

  /**
   * @param enabled false when nothing would receive spans: then none are built
   */
  public CommandSpans(boolean enabled) {
    this.enabled = enabled;
    Instant now = Instant.now();
    long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    this.epochOffsetNanos = epochNanos - System.nanoTime();
  }

  /** Starts emitting through {@code tracer}, first the spans that waited for it. */
  public void install(Tracer tracer) {
    this.tracer = tracer;
    drainPending(tracer);
  }

  /** False when no exporter is configured: callers skip span work entirely. */
  public boolean enabled() {
    return enabled;
  }

  /** Stops building spans: the SDK could not start, so nothing would receive them. */
  public void disable() {
    enabled = false;
    pending.clear();
  }

  /** Spans dropped because the SDK was not ready and the pending queue was full. */
  public long dropped() {
    return dropped.sum();
  }

  /** Converts a {@link System#nanoTime()} reading to epoch nanoseconds. */
  public long epochNanos(long nanoTime) {
    return nanoTime + epochOffsetNanos;
  }

  /**
   * Emits one span.
   *
   * @param parent the service's sampled span, or null for a root span
   * @param codeLocation the first application frame, or null
   */
  public void emit(
      String name,
      Attributes connectionAttributes,
      SpanContext parent,
      long startNanos,
      long endNanos,
      Throwable error,
      String queryText,
      String keyPrefix,
      String ttl,
      int batchSize,
      StackWalker.StackFrame codeLocation) {
    FinishedCommand command =
        new FinishedCommand(
            name,
            connectionAttributes,
            parent,
            startNanos,
            endNanos,
            error,
            queryText,
            keyPrefix,
            ttl,
            batchSize,
            codeLocation);
    Tracer current = tracer;
    if (current != null) {
      build(current, command);
      return;
    }
    if (!pending.offer(command)) {
      dropped.increment();
    }
    // The SDK may have become ready between the read above and the offer: drain again.
    current = tracer;
    if (current != null) {
      drainPending(current);
    }
  }

  private void drainPending(Tracer current) {
    FinishedCommand command;
    while ((command = pending.poll()) != null) {
      build(current, command);
    }
  }

  private void build(Tracer current, FinishedCommand command) {
    String name = command.name();
    Throwable error = command.error();
    StackWalker.StackFrame codeLocation = command.codeLocation();
    SpanBuilder builder =
        current
            .spanBuilder(name)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(epochNanos(command.startNanos()), TimeUnit.NANOSECONDS)
            .setAllAttributes(command.connectionAttributes())
            .setAttribute(DB_OPERATION_NAME, name);
    if (command.parent() != null) {
      builder.setParent(Context.root().with(Span.wrap(command.parent())));
    } else {
      builder.setNoParent();
    }
    if (command.queryText() != null) {
      builder.setAttribute(DB_QUERY_TEXT, command.queryText());
    }
    if (command.keyPrefix() != null) {
      builder.setAttribute(KEY_PREFIX, command.keyPrefix());
    }
    if (command.ttl() != null) {
      builder.setAttribute(TTL, command.ttl());
    }
    if (command.batchSize() > 0) {
      builder.setAttribute(BATCH_SIZE, (long) command.batchSize());
    }
    if (codeLocation != null) {
      builder.setAttribute(
          CODE_FUNCTION_NAME, codeLocation.getClassName() + "." + codeLocation.getMethodName());
      if (codeLocation.getFileName() != null) {
        builder.setAttribute(CODE_FILE_PATH, codeLocation.getFileName());
      }
      if (codeLocation.getLineNumber() > 0) {
        builder.setAttribute(CODE_LINE_NUMBER, (long) codeLocation.getLineNumber());
      }
    }
    if (error != null) {
      builder.setAttribute(ERROR_TYPE, error.getClass().getName());
    }
    Span span = builder.startSpan();
    if (error != null) {
      span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }
    span.end(epochNanos(command.endNanos()), TimeUnit.NANOSECONDS);
  }

  /** A command that earned a span, as the sink saw it finish. */
  private record FinishedCommand(
      String name,
      Attributes connectionAttributes,
      SpanContext parent,
      long startNanos,
      long endNanos,
      Throwable error,
      String queryText,
      String keyPrefix,
      String ttl,
      int batchSize,
      StackWalker.StackFrame codeLocation) {}
}
