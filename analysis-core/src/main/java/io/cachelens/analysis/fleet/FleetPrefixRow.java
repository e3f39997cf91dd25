package io.cachelens.analysis.fleet;

import io.cachelens.analysis.summary.PrefixSummary;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * One key prefix across the fleet's services.
 *
 * @param prefix the key prefix pattern, e.g. {@code product:cache:*}
 * @param byService each service that used the prefix, by name, to its merged figures for it; in
 *     service name order
 */
public record FleetPrefixRow(String prefix, Map<String, PrefixSummary> byService) {

  /** Rejects a missing prefix and takes an immutable copy of the map, keeping its order. */
  public FleetPrefixRow {
    Objects.requireNonNull(prefix, "prefix");
    byService = Collections.unmodifiableMap(new LinkedHashMap<>(byService));
  }

  /** Writes that left a key of this prefix without an expiry, all services together. */
  public long writesWithoutTtl() {
    return sum(PrefixSummary::writesWithoutTtl);
  }

  /** Reads plus writes of this prefix, all services together (GETDEL counts as both). */
  public long readsAndWrites() {
    return sum(prefix -> prefix.reads() + prefix.writes());
  }

  /** Bytes of the values written to this prefix, all services together. */
  public long bytesWritten() {
    return sum(PrefixSummary::bytesWritten);
  }

  private long sum(ToLongFunction<PrefixSummary> figure) {
    long sum = 0;
    for (PrefixSummary summary : byService.values()) {
      sum += figure.applyAsLong(summary);
    }
    return sum;
  }
}
