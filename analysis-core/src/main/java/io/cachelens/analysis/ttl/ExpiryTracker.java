package io.cachelens.analysis.ttl;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Remembers, for a short while and in bounded memory, which keys were just written without an
 * expiry and which are known to have one, so that a write is not blamed for leaving its key without
 * TTL when the service gives it one right after (HSET then EXPIRE, in a pipeline, a MULTI or within
 * the grace window), and a counter or collection write to a key that has a TTL (INCR after the
 * first EXPIRE of a rate-limit window) is not blamed at all.
 *
 * <p>One direct-mapped table of {@code long} slots, updated with compare-and-set: no locks, no
 * allocation. A slot packs a 24-bit fingerprint of the key hash, whether the key is pending
 * (written without TTL) or known to have a TTL, and a deadline in milliseconds: a pending slot
 * holds a saturating count of pending writes (up to {@value #MAX_COUNT}) and its deadline modulo
 * 2<sup>28</sup> (about 74 hours), a known-TTL slot uses the count's bits for its deadline, modulo
 * 2<sup>39</sup> (about 17 years). Slots are never swept, so a deadline is read as live only while
 * the time left is within what the slot could have been given (the grace window, or the longest
 * remembered TTL): an entry left alone for longer than its clock's period does not come back to
 * life, except a pending one met again within a grace window of a multiple of 74 hours after its
 * deadline. Two keys that share a slot evict each other: an evicted pending key's writes stay
 * counted as without TTL ({@link #evictions()} says how often), an evicted known-TTL key makes its
 * next counter write count as without TTL. Both err towards reporting, never towards hiding, a
 * TTL-less write.
 */
public final class ExpiryTracker {
  /** Largest count of pending writes one key carries; further writes are not rescued. */
  public static final int MAX_COUNT = (1 << 11) - 1;

  private static final int TIME_BITS = 28;
  private static final long TIME_MASK = (1L << TIME_BITS) - 1;
  // A known-TTL slot has no count: its deadline takes the count's bits too.
  private static final long TTL_TIME_MASK = (1L << 39) - 1;
  private static final int COUNT_SHIFT = TIME_BITS;
  private static final long COUNT_MASK = MAX_COUNT;
  private static final long HAS_TTL = 1L << 39;
  private static final int FINGERPRINT_SHIFT = 40;
  // Deadlines further out than this would wrap; a known TTL beyond it is remembered this long.
  private static final long MAX_REMEMBERED_MILLIS = (1L << (TIME_BITS - 1)) - 1;
  private static final int CAS_ATTEMPTS = 4;

  private final AtomicLongArray slots;
  private final int mask;
  private final long graceMillis;
  private final long epochNanos;
  private final LongAdder evictions = new LongAdder();

  /**
   * @param slots the table size, rounded up to a power of two (8 bytes each)
   * @param graceMillis how long after a write without TTL an expiry still rescues it
   * @param epochNanos a {@link System#nanoTime()} reading all later readings are measured from
   */
  public ExpiryTracker(int slots, long graceMillis, long epochNanos) {
    if (slots < 1 || slots > 1 << 26) {
      throw new IllegalArgumentException("slots must be in [1, 2^26]: " + slots);
    }
    if (graceMillis < 0 || graceMillis > MAX_REMEMBERED_MILLIS) {
      throw new IllegalArgumentException("graceMillis out of range: " + graceMillis);
    }
    int size = Integer.highestOneBit(slots);
    if (size < slots) {
      size <<= 1;
    }
    this.slots = new AtomicLongArray(size);
    this.mask = size - 1;
    this.graceMillis = graceMillis;
    this.epochNanos = epochNanos;
  }

  /** The table's size in bytes, for the memory bound. */
  public long footprintBytes() {
    return 8L * slots.length();
  }

  /**
   * A write that, by itself, leaves its key without TTL.
   *
   * @param keyHash {@link KeyHash#of} the key
   * @param keepsExistingTtl true for writes that keep an expiry the key already has (HSET, INCR,
   *     LPUSH...), false for those that replace the value and drop it (SET, PERSIST, *STORE)
   * @return true when the key is known to have a TTL and the write keeps it: count it as kept
   */
  public boolean writeWithoutTtl(long keyHash, boolean keepsExistingTtl, long nowNanos) {
    int index = (int) keyHash & mask;
    long fingerprint = keyHash >>> FINGERPRINT_SHIFT;
    long now = ticks(nowNanos);
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      long slot = slots.get(index);
      boolean same = slot != 0 && slot >>> FINGERPRINT_SHIFT == fingerprint && live(slot, now);
      long next;
      if (same && (slot & HAS_TTL) != 0) {
        if (keepsExistingTtl) {
          return true;
        }
        next = pending(fingerprint, 1, now);
      } else if (same) {
        long count = Math.min(MAX_COUNT, ((slot >>> COUNT_SHIFT) & COUNT_MASK) + 1);
        next = pending(fingerprint, count, now);
      } else {
        next = pending(fingerprint, 1, now);
      }
      if (slots.compareAndSet(index, slot, next)) {
        if (!same && slot != 0 && (slot & HAS_TTL) == 0 && live(slot, now)) {
          evictions.increment();
        }
        return false;
      }
    }
    return false;
  }

  /**
   * A command gave the key an expiry (EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, SET with EX...).
   *
   * @param keyHash {@link KeyHash#of} the key
   * @param ttlMillis the expiry it set, or a negative number when unknown (then remembered for the
   *     grace window only); 0 deleted the key: that is {@link #keyDeleted}, which rescues nothing
   * @return how many writes of this key, counted without TTL within the grace window before, it
   *     rescued
   */
  public int expirySet(long keyHash, long ttlMillis, long nowNanos) {
    if (ttlMillis == 0) {
      keyDeleted(keyHash, nowNanos);
      return 0;
    }
    int index = (int) keyHash & mask;
    long fingerprint = keyHash >>> FINGERPRINT_SHIFT;
    long now = ticks(nowNanos);
    long remember = ttlMillis < 0 ? graceMillis : Math.min(ttlMillis, MAX_REMEMBERED_MILLIS);
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      long slot = slots.get(index);
      boolean same = slot != 0 && slot >>> FINGERPRINT_SHIFT == fingerprint && live(slot, now);
      int rescued = same && (slot & HAS_TTL) == 0 ? (int) ((slot >>> COUNT_SHIFT) & COUNT_MASK) : 0;
      long next = fingerprint << FINGERPRINT_SHIFT | HAS_TTL | ((now + remember) & TTL_TIME_MASK);
      if (!same && slot != 0 && (slot & HAS_TTL) == 0 && live(slot, now)) {
        // Another key's pending writes still wait for their EXPIRE: keep them.
        return 0;
      }
      if (slots.compareAndSet(index, slot, next)) {
        return rescued;
      }
    }
    return 0;
  }

  /**
   * A command removed the key (DEL, UNLINK, GETDEL, or an EXPIRE with a time not in the future):
   * forgets what the tracker knew of it. An expiry it was known to have is gone, so a counter or
   * collection write that creates it again creates it without TTL; and its writes still pending
   * stay counted without TTL, as a DEL leaves them: an expiry that follows gives the new key its
   * TTL, not the deleted one. Another key's entry in the same slot is left alone.
   *
   * @param keyHash {@link KeyHash#of} the key
   */
  public void keyDeleted(long keyHash, long nowNanos) {
    int index = (int) keyHash & mask;
    long fingerprint = keyHash >>> FINGERPRINT_SHIFT;
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      long slot = slots.get(index);
      if (slot == 0 || slot >>> FINGERPRINT_SHIFT != fingerprint) {
        return;
      }
      if (slots.compareAndSet(index, slot, 0)) {
        return;
      }
    }
  }

  /** Pending keys evicted by another key before their grace window ended. */
  public long evictions() {
    return evictions.sum();
  }

  private long pending(long fingerprint, long count, long now) {
    return fingerprint << FINGERPRINT_SHIFT
        | count << COUNT_SHIFT
        | ((now + graceMillis) & TIME_MASK);
  }

  /** Milliseconds since the epoch; slots keep them modulo their clock's period. */
  private long ticks(long nowNanos) {
    return Math.floorDiv(nowNanos - epochNanos, 1_000_000L);
  }

  /**
   * Whether the slot's deadline is still ahead, by no more than the slot could have been given: a
   * deadline further ahead is one that passed more than a period of its modular clock ago.
   */
  private boolean live(long slot, long now) {
    if ((slot & HAS_TTL) != 0) {
      long remaining = ((slot & TTL_TIME_MASK) - now) & TTL_TIME_MASK;
      return remaining != 0 && remaining <= MAX_REMEMBERED_MILLIS;
    }
    long remaining = ((slot & TIME_MASK) - now) & TIME_MASK;
    return remaining != 0 && remaining <= graceMillis;
  }
}
