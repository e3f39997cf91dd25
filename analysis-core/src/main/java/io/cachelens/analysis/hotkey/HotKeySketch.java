package io.cachelens.analysis.hotkey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent keys among the commands fed to it, in fixed memory: the space-saving algorithm
 * with {@code capacity} counters. A key's estimated count is at most {@link HotKey#error()} above
 * its true count; any key with a true count above {@code total / capacity} is guaranteed to be
 * tracked.
 *
 * <p>Callers feed a sample of commands (every command is too costly on the hot path); methods are
 * synchronized, which the sampling keeps cheap.
 */
public final class HotKeySketch {
  private final int capacity;
  private final Map<Long, Counter> counters;
  private long total;

  /** A sketch of {@code capacity} counters. */
  public HotKeySketch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.counters = new HashMap<>(capacity * 2);
  }

  /**
   * Counts one (sampled) command on a key.
   *
   * @param keyHash the key's hash
   * @param prefixId the key's prefix id
   * @param label how the key is shown; called only when the key takes a counter
   */
  public synchronized void add(long keyHash, int prefixId, KeyLabel label) {
    total++;
    Counter counter = counters.get(keyHash);
    if (counter != null) {
      counter.count++;
      return;
    }
    if (counters.size() < capacity) {
      counters.put(keyHash, new Counter(keyHash, prefixId, label.label(), 1, 0));
      return;
    }
    Counter smallest = null;
    for (Counter candidate : counters.values()) {
      if (smallest == null || candidate.count < smallest.count) {
        smallest = candidate;
      }
    }
    counters.remove(smallest.keyHash);
    counters.put(
        keyHash, new Counter(keyHash, prefixId, label.label(), smallest.count + 1, smallest.count));
  }

  /** Commands fed so far. */
  public synchronized long total() {
    return total;
  }

  /** The tracked keys, by estimated count descending. */
  public synchronized List<HotKey> top() {
    List<HotKey> keys = new ArrayList<>(counters.size());
    for (Counter counter : counters.values()) {
      keys.add(new HotKey(counter.label, counter.prefixId, counter.count, counter.error));
    }
    keys.sort(Comparator.comparingLong(HotKey::count).reversed().thenComparing(HotKey::label));
    return keys;
  }

  /** How a key is shown in reports, computed only when the key is tracked. */
  @FunctionalInterface
  public interface KeyLabel {
    /** The key as shown: its prefix and a short hash, or the key itself when allowed. */
    String label();
  }

  /**
   * One tracked key.
   *
   * @param label how the key is shown
   * @param prefixId the key's prefix id
   * @param count estimated (sampled) commands on the key
   * @param error how much of {@code count} may belong to keys it displaced
   */
  public record HotKey(String label, int prefixId, long count, long error) {}

  private static final class Counter {
    final long keyHash;
    final int prefixId;
    final String label;
    long count;
    final long error;

    Counter(long keyHash, int prefixId, String label, long count, long error) {
      this.keyHash = keyHash;
      this.prefixId = prefixId;
      this.label = label;
      this.count = count;
      this.error = error;
    }
  }
}
