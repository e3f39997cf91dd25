package io.cachelens.analysis.audit;

import java.util.Locale;

/** How urgently a finding needs a change, most urgent first. */
public enum Severity {
  /** Will take a server or the service down if left alone (memory filling, blocking commands). */
  CRITICAL,
  /** Costs latency, memory or connections today; worth a change soon. */
  WARNING,
  /** Worth knowing; no change needed unless it grows. */
  INFO;

  /** The lower-case label written to reports: {@code critical}, {@code warning}, {@code info}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The severity of a report label, as written by {@link #label()}. */
  public static Severity ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
