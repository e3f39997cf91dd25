package io.cachelens.analysis.audit;

import java.util.Objects;

/**
 * A code location of the service and how often it was seen doing something.
 *
 * @param site the frame as {@code com.acme.RateLimiter.check(RateLimiter.java:42)}, or {@value
 *     #OTHER} for locations beyond the tracked limit
 * @param count how many times it was seen (among the sampled stacks)
 */
public record CallSiteCount(String site, long count) {

  /** The site that counts locations beyond the bounded table's capacity. */
  public static final String OTHER = "<other>";

  /** Rejects a missing site. */
  public CallSiteCount {
    Objects.requireNonNull(site, "site");
  }
}
