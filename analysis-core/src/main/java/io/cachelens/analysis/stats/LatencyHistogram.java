package io.cachelens.analysis.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free, fixed-size, cumulative histogram of durations in nanoseconds.
 *
 * <p>Bucket layout: every power-of-two range {@code [2^e, 2^(e+1))} for {@code e} in 10..36 is
 * split into 16 equal sub-buckets, so buckets cover 1.024 µs to just under 2^37 ns (about 137 s)
 * with 432 counters. A bucket is 1/16 of its range's lower bound wide, so its midpoint (the value
 * {@link #percentileNanos} reports) is within 1/32 (about 3.1%) of every value it holds. Values
 * below 1.024 µs (and negative values) go to the first bucket; values of 2^37 ns or more go to the
 * last.
 *
 * <p>Beside it, the histogram keeps an exact count, sum and maximum and a second, exact set of
 * counters over {@link #SEMCONV_BOUNDARIES_SECONDS}, the buckets OpenTelemetry recommends for
 * {@code db.client.operation.duration}.
 *
 * <p>Memory is about 3.6 KB per histogram. {@link #record} allocates nothing and takes no lock.
 * Readers see each counter exactly, but a read concurrent with recording may see the counters at
 * slightly different moments.
 */
public final class LatencyHistogram {

  /**
   * Explicit bucket boundaries, in seconds, that OpenTelemetry's semantic conventions recommend for
   * {@code db.client.operation.duration}. Buckets are upper-inclusive: a value goes to the first
   * bucket {@code i} with {@code value <= boundary[i]}, or to the overflow bucket after the last.
   * Read-only by convention; the histogram keeps its own copy.
   */
  public static final double[] SEMCONV_BOUNDARIES_SECONDS = {
    0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10
  };

  static final int SUB_BUCKET_BITS = 4;
  static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  static final int MIN_EXPONENT = 10;
  static final int MAX_EXPONENT = 36;
  static final int BUCKET_COUNT = (MAX_EXPONENT - MIN_EXPONENT + 1) * SUB_BUCKETS;
  static final int SEMCONV_BUCKET_COUNT = SEMCONV_BOUNDARIES_SECONDS.length + 1;

  private static final long SMALLEST_BUCKETED_NANOS = 1L << MIN_EXPONENT;
  private static final long[] SEMCONV_BOUNDARIES_NANOS = toNanos(SEMCONV_BOUNDARIES_SECONDS);

  // Every semconv boundary is far wider apart than a bucket is wide, so a bucket straddles at most
  // one boundary: its values go to SEMCONV_FIRST_INDEX[bucket] up to SEMCONV_SPLIT_NANOS[bucket]
  // inclusive and to the next semconv bucket above. That keeps the semconv placement exact without
  // searching the boundaries on every record.
  private static final int[] SEMCONV_FIRST_INDEX = new int[BUCKET_COUNT];
  private static final long[] SEMCONV_SPLIT_NANOS = new long[BUCKET_COUNT];

  static {
    for (int bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      long lowest = bucket == 0 ? 0 : bucketLowerBound(bucket);
      long highest =
          bucket == BUCKET_COUNT - 1
              ? Long.MAX_VALUE
              : bucketLowerBound(bucket) + bucketWidth(bucket) - 1;
      int first = 0;
      while (first < SEMCONV_BOUNDARIES_NANOS.length && SEMCONV_BOUNDARIES_NANOS[first] < lowest) {
        first++;
      }
      long split = Long.MAX_VALUE;
      if (first < SEMCONV_BOUNDARIES_NANOS.length && SEMCONV_BOUNDARIES_NANOS[first] < highest) {
        split = SEMCONV_BOUNDARIES_NANOS[first];
        if (first + 1 < SEMCONV_BOUNDARIES_NANOS.length
            && SEMCONV_BOUNDARIES_NANOS[first + 1] < highest) {
          throw new IllegalStateException("two semconv boundaries fall into bucket " + bucket);
        }
      }
      SEMCONV_FIRST_INDEX[bucket] = first;
      SEMCONV_SPLIT_NANOS[bucket] = split;
    }
  }

  private final AtomicLongArray buckets = new AtomicLongArray(BUCKET_COUNT);
  private final AtomicLongArray semconvBuckets = new AtomicLongArray(SEMCONV_BUCKET_COUNT);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong sumNanos = new AtomicLong();
  private final AtomicLong maxNanos = new AtomicLong();

  /** Creates an empty histogram. */
  public LatencyHistogram() {}

  /** Records one duration; negative durations (a clock going backwards) count as zero. */
  public void record(long nanos) {
    long value = Math.max(nanos, 0L);
    int bucket = bucketIndex(value);
    buckets.incrementAndGet(bucket);
    semconvBuckets.incrementAndGet(
        SEMCONV_FIRST_INDEX[bucket] + (value > SEMCONV_SPLIT_NANOS[bucket] ? 1 : 0));
    count.incrementAndGet();
    sumNanos.addAndGet(value);
    raiseMax(value);
  }

  /** The number of recorded durations. */
  public long count() {
    return count.get();
  }

  /** The exact sum of recorded durations, in nanoseconds. */
  public long sumNanos() {
    return sumNanos.get();
  }

  /** The largest recorded duration in nanoseconds, or 0 when empty. */
  public long maxNanos() {
    return maxNanos.get();
  }

  /**
   * The representative value (bucket midpoint, capped at {@link #maxNanos()}) of the bucket that
   * holds the value of rank {@code ceil(quantile * count)}; 0 when empty.
   *
   * @param quantile in [0, 1], e.g. 0.99 for p99
   */
  public long percentileNanos(double quantile) {
    if (!(quantile >= 0.0 && quantile <= 1.0)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + quantile);
    }
    long total = 0;
    for (int bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      total += buckets.get(bucket);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1L, (long) Math.ceil(quantile * total));
    // Counters only grow, so the walk reaches the rank; the default guards a torn read anyway.
    int holder = BUCKET_COUNT - 1;
    long seen = 0;
    for (int bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      seen += buckets.get(bucket);
      if (seen >= rank) {
        holder = bucket;
        break;
      }
    }
    return Math.min(bucketMidpoint(holder), maxNanos.get());
  }

  /**
   * Counts per OpenTelemetry semconv bucket: {@code SEMCONV_BOUNDARIES_SECONDS.length + 1} entries,
   * the last being the overflow bucket. A fresh copy.
   */
  public long[] semconvBucketCounts() {
    long[] counts = new long[SEMCONV_BUCKET_COUNT];
    for (int i = 0; i < SEMCONV_BUCKET_COUNT; i++) {
      counts[i] = semconvBuckets.get(i);
    }
    return counts;
  }

  /** Adds everything recorded here into {@code target}, e.g. to merge cells of one key prefix. */
  public void addTo(LatencyHistogram target) {
    if (target == this) {
      throw new IllegalArgumentException("cannot add a histogram to itself");
    }
    for (int bucket = 0; bucket < BUCKET_COUNT; bucket++) {
      long n = buckets.get(bucket);
      if (n != 0) {
        target.buckets.addAndGet(bucket, n);
      }
    }
    for (int i = 0; i < SEMCONV_BUCKET_COUNT; i++) {
      long n = semconvBuckets.get(i);
      if (n != 0) {
        target.semconvBuckets.addAndGet(i, n);
      }
    }
    target.count.addAndGet(count.get());
    target.sumNanos.addAndGet(sumNanos.get());
    target.raiseMax(maxNanos.get());
  }

  private void raiseMax(long value) {
    long current = maxNanos.get();
    while (value > current) {
      long witness = maxNanos.compareAndExchange(current, value);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  /** The bucket a non-negative duration belongs to. */
  static int bucketIndex(long nanos) {
    if (nanos < SMALLEST_BUCKETED_NANOS) {
      return 0;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(nanos);
    if (exponent > MAX_EXPONENT) {
      return BUCKET_COUNT - 1;
    }
    int subBucket = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
    return ((exponent - MIN_EXPONENT) << SUB_BUCKET_BITS) + subBucket;
  }

  /** The smallest duration of a bucket's regular range (values clamped into it may lie outside). */
  static long bucketLowerBound(int bucket) {
    long subBucket = bucket & (SUB_BUCKETS - 1);
    return (SUB_BUCKETS + subBucket) << (exponentOf(bucket) - SUB_BUCKET_BITS);
  }

  /** How many distinct nanosecond values a bucket's regular range holds. */
  static long bucketWidth(int bucket) {
    return 1L << (exponentOf(bucket) - SUB_BUCKET_BITS);
  }

  /** The value reported for a bucket: the middle of its regular range. */
  static long bucketMidpoint(int bucket) {
    return bucketLowerBound(bucket) + bucketWidth(bucket) / 2;
  }

  private static int exponentOf(int bucket) {
    return MIN_EXPONENT + (bucket >> SUB_BUCKET_BITS);
  }

  private static long[] toNanos(double[] seconds) {
    long[] nanos = new long[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      nanos[i] = Math.round(seconds[i] * 1e9);
    }
    return nanos;
  }
}
