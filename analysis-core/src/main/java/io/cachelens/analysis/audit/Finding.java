package io.cachelens.analysis.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One problem the audit found in what the service does to Redis.
 *
 * @param rule which rule found it
 * @param severity how urgent it is
 * @param prefix the key prefix it is about, or null when it is about the service as a whole
 * @param message one line saying what happens, with the decisive number
 * @param evidence the numbers behind it, in a stable order; values are {@link Long}, {@link Double}
 *     or {@link String}
 * @param callSites the service's code locations involved, most frequent first, as {@code
 *     com.acme.RateLimiter.check(RateLimiter.java:42)}
 * @param recommendation what to change
 */
public record Finding(
    AuditRule rule,
    Severity severity,
    String prefix,
    String message,
    Map<String, Object> evidence,
    List<String> callSites,
    String recommendation) {

  /** Rejects missing parts and takes immutable copies, keeping the evidence's order. */
  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(recommendation, "recommendation");
    for (Map.Entry<String, Object> entry : evidence.entrySet()) {
      Object value = entry.getValue();
      if (!(value instanceof Long || value instanceof Double || value instanceof String)) {
        throw new IllegalArgumentException(
            "evidence " + entry.getKey() + " must be a Long, Double or String: " + value);
      }
    }
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    callSites = List.copyOf(callSites);
  }

  /**
   * What tells this finding apart from others of its rule and prefix: its string evidence (the
   * command, the reason, a hot key, a churn's pattern) as {@code name=value} pairs in evidence
   * order, separated by {@code ", "}; empty when it has none. Findings with the same rule, prefix
   * and subject are one problem, seen again in a later window or on another instance.
   */
  public String subject() {
    StringBuilder subject = new StringBuilder();
    for (Map.Entry<String, Object> entry : evidence.entrySet()) {
      if (entry.getValue() instanceof String) {
        if (subject.length() > 0) {
          subject.append(", ");
        }
        subject.append(entry.getKey()).append('=').append(entry.getValue());
      }
    }
    return subject.toString();
  }
}
