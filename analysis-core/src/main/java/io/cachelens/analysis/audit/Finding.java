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
}
