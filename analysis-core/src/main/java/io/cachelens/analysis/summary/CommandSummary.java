package io.cachelens.analysis.summary;

import java.util.Objects;

/**
 * Counts and latency of one command name across all servers and key prefixes.
 *
 * @param name the command, e.g. {@code GET}
 * @param count how many the service sent, errors included
 * @param errors how many of them failed
 * @param p50Micros median latency in microseconds
 * @param p99Micros 99th percentile latency in microseconds
 */
public record CommandSummary(String name, long count, long errors, long p50Micros, long p99Micros) {

  /** Rejects a missing name. */
  public CommandSummary {
    Objects.requireNonNull(name, "name");
  }
}
