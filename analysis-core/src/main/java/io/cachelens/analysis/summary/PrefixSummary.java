package io.cachelens.analysis.summary;

import java.util.Objects;

/**
 * Reads, writes and latency of one key prefix across all servers.
 *
 * <p>A command can be both a read and a write (GETDEL); {@code writes} can exceed {@code
 * writesWithTtl + writesWithoutTtl} because some writes neither set nor drop an expiry (DEL, SET
 * KEEPTTL).
 *
 * @param prefix the key prefix pattern, e.g. {@code product:cache:*}
 * @param reads commands that read keys of this prefix
 * @param writes commands that wrote keys of this prefix
 * @param writesWithoutTtl writes that left their key without an expiry
 * @param writesWithTtl writes that gave their key an expiry
 * @param writesWithTtlLater writes that left their key without an expiry which the service then
 *     gave one (EXPIRE, SET EX) within the grace window, in the same pipeline, MULTI or soon after;
 *     not part of {@code writesWithoutTtl}
 * @param bytesWritten bytes of the values written (keys and options not included)
 * @param p50Micros median latency of all commands on this prefix, in microseconds
 * @param p99Micros 99th percentile latency of all commands on this prefix, in microseconds
 */
public record PrefixSummary(
    String prefix,
    long reads,
    long writes,
    long writesWithoutTtl,
    long writesWithTtl,
    long writesWithTtlLater,
    long bytesWritten,
    long p50Micros,
    long p99Micros) {

  /** Rejects a missing prefix. */
  public PrefixSummary {
    Objects.requireNonNull(prefix, "prefix");
  }
}
