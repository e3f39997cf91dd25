package io.cachelens.analysis.callsite;

import io.cachelens.analysis.audit.CallSiteCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts how often each code location of the service was seen, for up to a fixed number of distinct
 * locations; the rest count under {@link CallSiteCount#OTHER}. Thread-safe.
 */
public final class CallSiteTable {
  private final int capacity;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder other = new LongAdder();
  // Locations admitted so far; reserved before a location is added so that racing threads cannot
  // all see room for one more and overshoot the capacity.
  private final AtomicInteger tracked = new AtomicInteger();

  /** A table of at most {@code capacity} distinct locations. */
  public CallSiteTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** Counts one sighting of {@code site}. */
  public void add(String site) {
    LongAdder count = counts.get(site);
    if (count == null) {
      if (tracked.get() < capacity) {
        count = counts.computeIfAbsent(site, ignored -> admit() ? new LongAdder() : null);
      }
      if (count == null) {
        other.increment();
        return;
      }
    }
    count.increment();
  }

  private boolean admit() {
    for (int admitted = tracked.get(); admitted < capacity; admitted = tracked.get()) {
      if (tracked.compareAndSet(admitted, admitted + 1)) {
        return true;
      }
    }
    return false;
  }

  /** The locations by count descending, then name, with {@code <other>} last when non-zero. */
  public List<CallSiteCount> snapshot() {
    List<CallSiteCount> sites = new ArrayList<>(counts.size() + 1);
    counts.forEach((site, count) -> sites.add(new CallSiteCount(site, count.sum())));
    sites.sort(
        Comparator.comparingLong(CallSiteCount::count)
            .reversed()
            .thenComparing(CallSiteCount::site));
    long others = other.sum();
    if (others > 0) {
      sites.add(new CallSiteCount(CallSiteCount.OTHER, others));
    }
    return sites;
  }

  /** The sum of all counts. */
  public long total() {
    long total = other.sum();
    for (LongAdder count : counts.values()) {
      total += count.sum();
    }
    return total;
  }
}
