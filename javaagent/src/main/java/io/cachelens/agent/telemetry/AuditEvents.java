package io.cachelens.agent.telemetry;

import io.cachelens.analysis.audit.AuditRule;
import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.audit.Severity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits the audit's findings as OpenTelemetry events: log records named {@value #EVENT_NAME}, one
 * per finding when it is new and again only when its severity rises, so a finding that stays as it
 * is produces one event however many report windows it appears in.
 *
 * <p>A finding is identified by its rule, its prefix and what else tells two findings of one rule
 * apart: its {@linkplain Finding#subject() subject} (the key of a {@code HOT_KEY}, the command of a
 * {@code SLOW_COMMAND}, the command and reason of a {@code DANGEROUS_COMMAND}, whether a {@code
 * CONNECTION_CHURN} is churn or a leak) and, for a {@code ROUND_TRIP_STORM}, its call site. Its
 * numbers, message and call sites may change between windows without a new event. It is emitted
 * again when its severity becomes more urgent than the most urgent one emitted for it (warning to
 * critical), with {@value #PREVIOUS_SEVERITY_KEY} saying what it was; a severity that falls, or a
 * finding that goes away, emits nothing.
 *
 * <p>The record: event name {@value #EVENT_NAME}, severity ERROR (critical), WARN (warning) or
 * INFO, body the finding's message, attributes {@code cachelens.audit.rule}, {@code
 * cachelens.audit.severity}, {@code cachelens.key.prefix} (when the finding has one), {@code
 * cachelens.audit.recommendation}, {@code cachelens.audit.evidence.<name>} (long, double or string)
 * and {@code cachelens.audit.call_sites} (string array, when there are any); {@code service.name}
 * is the resource's. Findings hold key prefixes, never values; whole keys only where {@code
 * cachelens.capture.keys=full} let the audit keep them.
 */
public final class AuditEvents {
  /** The event name of every record. */
  public static final String EVENT_NAME = "cachelens.audit.finding";

  static final String EVIDENCE_PREFIX = "cachelens.audit.evidence.";
  static final String PREVIOUS_SEVERITY_KEY = "cachelens.audit.previous_severity";
  static final AttributeKey<String> RULE = AttributeKey.stringKey("cachelens.audit.rule");
  static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("cachelens.audit.severity");
  static final AttributeKey<String> PREVIOUS_SEVERITY =
      AttributeKey.stringKey(PREVIOUS_SEVERITY_KEY);
  static final AttributeKey<String> KEY_PREFIX = AttributeKey.stringKey("cachelens.key.prefix");
  static final AttributeKey<String> RECOMMENDATION =
      AttributeKey.stringKey("cachelens.audit.recommendation");
  static final AttributeKey<List<String>> CALL_SITES =
      AttributeKey.stringArrayKey("cachelens.audit.call_sites");

  static final int MAX_REMEMBERED = 4_096;

  private final Logger logger;
  // Guarded by this: each finding's identity and the most urgent severity emitted for it. Findings
  // are bounded per window, but identities can keep changing (a hot key per hour): the least
  // recently emitted are forgotten beyond MAX_REMEMBERED, and would be emitted again if they came
  // back.
  private final Map<String, Severity> emitted = new Remembered();

  public AuditEvents(Logger logger) {
    this.logger = logger;
  }

  /**
   * Emits the findings of {@code audit} that are new or more severe than when last emitted; returns
   * how many it emitted.
   */
  public synchronized int publish(ServiceAudit audit) {
    Instant windowEnd = audit.summary().windowEnd();
    int count = 0;
    for (Finding finding : audit.findings()) {
      String identity = identity(finding);
      Severity before = emitted.get(identity);
      // Severity's order is most urgent first.
      if (before != null && finding.severity().compareTo(before) >= 0) {
        continue;
      }
      emit(finding, before, windowEnd);
      emitted.put(identity, finding.severity());
      count++;
    }
    return count;
  }

  private void emit(Finding finding, Severity before, Instant windowEnd) {
    LogRecordBuilder record =
        logger
            .logRecordBuilder()
            .setEventName(EVENT_NAME)
            .setTimestamp(windowEnd)
            .setSeverity(severity(finding.severity()))
            .setSeverityText(severity(finding.severity()).name())
            .setBody(finding.message())
            .setAttribute(RULE, finding.rule().name())
            .setAttribute(SEVERITY, finding.severity().label());
    if (finding.prefix() != null) {
      record.setAttribute(KEY_PREFIX, finding.prefix());
    }
    record.setAttribute(RECOMMENDATION, finding.recommendation());
    for (Map.Entry<String, Object> evidence : finding.evidence().entrySet()) {
      String key = EVIDENCE_PREFIX + evidence.getKey();
      Object value = evidence.getValue();
      if (value instanceof Long) {
        record.setAttribute(AttributeKey.longKey(key), (Long) value);
      } else if (value instanceof Double) {
        record.setAttribute(AttributeKey.doubleKey(key), (Double) value);
      } else {
        record.setAttribute(AttributeKey.stringKey(key), String.valueOf(value));
      }
    }
    if (!finding.callSites().isEmpty()) {
      record.setAttribute(CALL_SITES, finding.callSites());
    }
    if (before != null) {
      record.setAttribute(PREVIOUS_SEVERITY, before.label());
    }
    record.emit();
  }

  /** critical: ERROR, warning: WARN, info: INFO. */
  static io.opentelemetry.api.logs.Severity severity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> io.opentelemetry.api.logs.Severity.ERROR;
      case WARNING -> io.opentelemetry.api.logs.Severity.WARN;
      case INFO -> io.opentelemetry.api.logs.Severity.INFO;
    };
  }

  /** What makes two findings the same finding across windows (see the class description). */
  static String identity(Finding finding) {
    StringBuilder identity = new StringBuilder(finding.rule().name());
    identity.append('\u0000').append(finding.prefix() == null ? "" : finding.prefix());
    identity.append('\u0000').append(finding.subject());
    if (finding.rule() == AuditRule.ROUND_TRIP_STORM) {
      // A storm is counted per command, prefix and the call site that started it.
      for (String site : finding.callSites()) {
        identity.append('\u0000').append(site);
      }
    }
    return identity.toString();
  }

  /** The identities emitted, least recently emitted first, at most {@link #MAX_REMEMBERED}. */
  private static final class Remembered extends LinkedHashMap<String, Severity> {
    private static final long serialVersionUID = 1L;

    Remembered() {
      super(64, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Severity> eldest) {
      return size() > MAX_REMEMBERED;
    }
  }
}
