package io.cachelens.analysis.hotkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The most frequent keys among the commands fed to it, in fixed memory: the space-saving algorithm
 * with {@code capacity} counters. A key's estimated count is at most {@link HotKey#error()} above
 * its true count; any key with a true count above {@code total / capacity} is guaranteed to be
 * tracked.
 *
 * <p>Keys are known by their 64-bit hash; the key's bytes are kept (up to {@code keepKeyBytes})
 * only when a report may show full keys. Counters live in flat arrays, so feeding the sketch
 * allocates nothing unless a new key takes a counter and its bytes are kept. Callers feed a sample
 * of commands from many threads; a thread that finds another one updating the sketch drops its
 * sample rather than wait, so the hot path never blocks (a lost sample is one more unsampled
 * command, which the sampling already allows for).
 */
public final class HotKeySketch {
  private final int capacity;
  private final int keepKeyBytes;
  private final long[] hashes;
  private final int[] prefixIds;
  private final long[] counts;
  private final long[] errors;
  private final int[] keyLengths;
  private final byte[][] keys;
  private final AtomicBoolean busy = new AtomicBoolean();
  private int size;
  // Written by the thread holding busy, read without it by callers deciding whether to sample.
  private volatile long total;

  /** A sketch of {@code capacity} counters that keeps no key bytes. */
  public HotKeySketch(int capacity) {
    this(capacity, 0);
  }

  /**
   * A sketch of {@code capacity} counters.
   *
   * @param keepKeyBytes how many leading bytes of each tracked key to keep for reports; 0 keeps
   *     none
   */
  public HotKeySketch(int capacity, int keepKeyBytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    if (keepKeyBytes < 0) {
      throw new IllegalArgumentException("keepKeyBytes must not be negative: " + keepKeyBytes);
    }
    this.capacity = capacity;
    this.keepKeyBytes = keepKeyBytes;
    this.hashes = new long[capacity];
    this.prefixIds = new int[capacity];
    this.counts = new long[capacity];
    this.errors = new long[capacity];
    this.keyLengths = new int[capacity];
    this.keys = keepKeyBytes > 0 ? new byte[capacity][] : null;
  }

  /**
   * Counts one (sampled) command on a key, unless another thread is updating the sketch.
   *
   * @param keyHash the key's hash
   * @param prefixId the key's prefix id
   * @param key the key's bytes, copied only when the key takes a counter and bytes are kept
   * @return false when the sample was dropped because another thread held the sketch
   */
  public boolean add(long keyHash, int prefixId, byte[] key) {
    if (!busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      count(keyHash, prefixId, key);
      return true;
    } finally {
      busy.set(false);
    }
  }

  private void count(long keyHash, int prefixId, byte[] key) {
    total++;
    int smallest = -1;
    long smallestCount = Long.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      if (hashes[i] == keyHash) {
        counts[i]++;
        return;
      }
      if (counts[i] < smallestCount) {
        smallestCount = counts[i];
        smallest = i;
      }
    }
    if (size < capacity) {
      take(size++, keyHash, prefixId, key, 0);
    } else {
      take(smallest, keyHash, prefixId, key, smallestCount);
    }
  }

  private void take(int slot, long keyHash, int prefixId, byte[] key, long displaced) {
    hashes[slot] = keyHash;
    prefixIds[slot] = prefixId;
    counts[slot] = displaced + 1;
    errors[slot] = displaced;
    keyLengths[slot] = key == null ? 0 : key.length;
    if (keys != null) {
      keys[slot] = key == null ? null : Arrays.copyOf(key, keptLength(key, keepKeyBytes));
    }
  }

  /**
   * How many leading bytes of a key to keep, at most {@code limit}: a cut that would fall inside a
   * UTF-8 character (the next byte is a continuation byte) moves before that character.
   */
  static int keptLength(byte[] key, int limit) {
    int kept = Math.min(key.length, limit);
    for (int back = 0;
        back < 3 && kept > 0 && kept < key.length && (key[kept] & 0xC0) == 0x80;
        back++) {
      kept--;
    }
    return kept;
  }

  /** Commands fed so far. */
  public long total() {
    return total;
  }

  /** The tracked keys, by estimated count descending, then by hash. Waits for a running update. */
  public List<HotKey> top() {
    while (!busy.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
    try {
      return snapshot();
    } finally {
      busy.set(false);
    }
  }

  private List<HotKey> snapshot() {
    List<HotKey> top = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      top.add(
          new HotKey(
              hashes[i],
              prefixIds[i],
              counts[i],
              errors[i],
              keys == null ? null : keys[i],
              keyLengths[i]));
    }
    top.sort(Comparator.comparingLong(HotKey::count).reversed().thenComparingLong(HotKey::keyHash));
    return top;
  }

  /**
   * One tracked key.
   *
   * @param keyHash the key's hash
   * @param prefixId the key's prefix id
   * @param count estimated (sampled) commands on the key
   * @param error how much of {@code count} may belong to keys it displaced
   * @param keyBytes the key's leading bytes when the sketch keeps them, else null
   * @param keyLength the key's full length in bytes
   */
  public record HotKey(
      long keyHash, int prefixId, long count, long error, byte[] keyBytes, int keyLength) {

    /** The commands certainly on this key: the estimate less what displaced keys may own. */
    public long guaranteedCount() {
      return count - error;
    }
  }
}
