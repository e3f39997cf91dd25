package io.cachelens.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static final long MICRO = 1_000;
  private static final long MILLI = 1_000_000;
  private static final long SECOND = 1_000_000_000;

  /** The largest error a bucket midpoint can have relative to a value in its regular range. */
  private static final double BUCKET_RELATIVE_ERROR = 1.0 / 32;

  @Test
  void emptyHistogramReportsZeros() {
    LatencyHistogram histogram = new LatencyHistogram();

    assertThat(histogram.count()).isZero();
    assertThat(histogram.sumNanos()).isZero();
    assertThat(histogram.maxNanos()).isZero();
    assertThat(histogram.percentileNanos(0.5)).isZero();
    assertThat(histogram.semconvBucketCounts()).containsOnly(0L).hasSize(10);
  }

  @Test
  void keepsExactCountSumAndMax() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(5 * MICRO);
    histogram.record(7 * MILLI);
    histogram.record(123);

    assertThat(histogram.count()).isEqualTo(3);
    assertThat(histogram.sumNanos()).isEqualTo(5 * MICRO + 7 * MILLI + 123);
    assertThat(histogram.maxNanos()).isEqualTo(7 * MILLI);
  }

  @Test
  void countsNegativeDurationsAsZero() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(-5);

    assertThat(histogram.count()).isEqualTo(1);
    assertThat(histogram.sumNanos()).isZero();
    assertThat(histogram.maxNanos()).isZero();
    assertThat(histogram.percentileNanos(1.0)).isZero();
    assertThat(histogram.semconvBucketCounts()[0]).isEqualTo(1);
  }

  @Test
  void bucketsTileTheRangeWithoutGapsOrOverlaps() {
    for (int bucket = 1; bucket < LatencyHistogram.BUCKET_COUNT; bucket++) {
      long lower = LatencyHistogram.bucketLowerBound(bucket);
      long previousEnd =
          LatencyHistogram.bucketLowerBound(bucket - 1) + LatencyHistogram.bucketWidth(bucket - 1);
      assertThat(lower).as("bucket %d", bucket).isEqualTo(previousEnd);
      assertThat(LatencyHistogram.bucketIndex(lower)).isEqualTo(bucket);
      assertThat(LatencyHistogram.bucketIndex(lower - 1)).isEqualTo(bucket - 1);
    }
  }

  @Test
  void coversOneMicrosecondToAHundredSeconds() {
    assertThat(LatencyHistogram.BUCKET_COUNT).isEqualTo(432);
    assertThat(LatencyHistogram.bucketLowerBound(0)).isEqualTo(1024);
    int last = LatencyHistogram.BUCKET_COUNT - 1;
    long end = LatencyHistogram.bucketLowerBound(last) + LatencyHistogram.bucketWidth(last);
    assertThat(end).isEqualTo(1L << 37).isGreaterThan(100 * SECOND);
  }

  @Test
  void clampsOutOfRangeValuesIntoEdgeBuckets() {
    assertThat(LatencyHistogram.bucketIndex(0)).isZero();
    assertThat(LatencyHistogram.bucketIndex(1023)).isZero();
    assertThat(LatencyHistogram.bucketIndex(1L << 37)).isEqualTo(LatencyHistogram.BUCKET_COUNT - 1);
    assertThat(LatencyHistogram.bucketIndex(Long.MAX_VALUE))
        .isEqualTo(LatencyHistogram.BUCKET_COUNT - 1);

    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(1000 * SECOND);
    assertThat(histogram.maxNanos()).isEqualTo(1000 * SECOND);
    assertThat(histogram.percentileNanos(0.5))
        .isEqualTo(LatencyHistogram.bucketMidpoint(LatencyHistogram.BUCKET_COUNT - 1));
  }

  @Test
  void midpointIsWithinBucketErrorOfEveryValue() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long value = 1024 + (long) (Math.exp(random.nextDouble() * Math.log(1e11 / 1024)) * 1024);
      value = Math.min(value, (1L << 37) - 1);
      long midpoint = LatencyHistogram.bucketMidpoint(LatencyHistogram.bucketIndex(value));
      assertThat((double) Math.abs(midpoint - value) / value)
          .as("value %d", value)
          .isLessThanOrEqualTo(BUCKET_RELATIVE_ERROR);
    }
  }

  @Test
  void singleValuePercentilesNeverExceedMax() {
    LatencyHistogram histogram = new LatencyHistogram();
    long value = 1024 + 60; // near the top of the first bucket
    histogram.record(value);

    assertThat(histogram.percentileNanos(0.0)).isLessThanOrEqualTo(value);
    assertThat(histogram.percentileNanos(1.0)).isLessThanOrEqualTo(value);
    assertThat(histogram.percentileNanos(0.5)).isCloseTo(value, within(value / 32));
  }

  @Test
  void percentilesOfUniformDistributionAreWithinBucketError() {
    LatencyHistogram histogram = new LatencyHistogram();
    // 1 µs .. 100 ms in steps of 1 µs.
    for (long micros = 1; micros <= 100_000; micros++) {
      histogram.record(micros * MICRO);
    }

    assertPercentile(histogram, 0.5, 50_000 * MICRO);
    assertPercentile(histogram, 0.9, 90_000 * MICRO);
    assertPercentile(histogram, 0.99, 99_000 * MICRO);
    assertPercentile(histogram, 0.999, 99_900 * MICRO);
    assertThat(histogram.percentileNanos(1.0)).isLessThanOrEqualTo(100_000 * MICRO);
  }

  @Test
  void percentilesOfExponentialDistributionAreWithinBucketError() {
    Random random = new Random(7);
    int n = 200_000;
    long[] values = new long[n];
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < n; i++) {
      // Mean 300 µs, plus a 50 µs floor: a typical GET.
      values[i] = 50 * MICRO + (long) (-Math.log(1 - random.nextDouble()) * 300 * MICRO);
      histogram.record(values[i]);
    }
    Arrays.sort(values);

    for (double quantile : new double[] {0.5, 0.75, 0.9, 0.99, 0.999}) {
      long exact = values[(int) Math.ceil(quantile * n) - 1];
      assertPercentile(histogram, quantile, exact);
    }
  }

  @Test
  void percentileRankUsesCeiling() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < 99; i++) {
      histogram.record(MILLI);
    }
    histogram.record(SECOND);

    assertThat(histogram.percentileNanos(0.99)).isCloseTo(MILLI, within(MILLI / 32));
    assertThat(histogram.percentileNanos(0.995)).isCloseTo(SECOND, within(SECOND / 32));
    assertThat(histogram.percentileNanos(0.0)).isCloseTo(MILLI, within(MILLI / 32));
  }

  @Test
  void rejectsQuantilesOutsideUnitInterval() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (double quantile : new double[] {-0.1, 1.01, Double.NaN}) {
      assertThatThrownBy(() -> histogram.percentileNanos(quantile))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void semconvBucketsAreUpperInclusiveAtExactBoundaries() {
    long[] boundaries = {
      MILLI,
      5 * MILLI,
      10 * MILLI,
      50 * MILLI,
      100 * MILLI,
      500 * MILLI,
      SECOND,
      5 * SECOND,
      10 * SECOND
    };
    for (int i = 0; i < boundaries.length; i++) {
      assertThat(semconvBucketOf(boundaries[i])).as("exactly boundary %d", i).isEqualTo(i);
      assertThat(semconvBucketOf(boundaries[i] - 1)).as("just below boundary %d", i).isEqualTo(i);
      assertThat(semconvBucketOf(boundaries[i] + 1))
          .as("just above boundary %d", i)
          .isEqualTo(i + 1);
    }
    assertThat(semconvBucketOf(0)).isZero();
    assertThat(semconvBucketOf(1000 * SECOND)).isEqualTo(9);
    assertThat(semconvBucketOf(Long.MAX_VALUE)).isEqualTo(9);
  }

  @Test
  void semconvBucketsMatchANaiveSearchEverywhere() {
    long[] boundaries = new long[LatencyHistogram.SEMCONV_BOUNDARIES_SECONDS.length];
    for (int i = 0; i < boundaries.length; i++) {
      boundaries[i] = Math.round(LatencyHistogram.SEMCONV_BOUNDARIES_SECONDS[i] * 1e9);
    }
    List<Long> values = new ArrayList<>();
    for (int bucket = 0; bucket < LatencyHistogram.BUCKET_COUNT; bucket++) {
      long lower = LatencyHistogram.bucketLowerBound(bucket);
      values.add(lower);
      values.add(lower + LatencyHistogram.bucketWidth(bucket) - 1);
    }
    for (long boundary : boundaries) {
      values.add(boundary - 1);
      values.add(boundary);
      values.add(boundary + 1);
    }
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      values.add((long) (random.nextDouble() * 20 * SECOND));
    }

    for (long value : values) {
      int expected = 0;
      while (expected < boundaries.length && value > boundaries[expected]) {
        expected++;
      }
      assertThat(semconvBucketOf(value)).as("value %d", value).isEqualTo(expected);
    }
  }

  @Test
  void semconvCountsAreACopy() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(MILLI);
    long[] counts = histogram.semconvBucketCounts();
    counts[0] = 99;

    assertThat(histogram.semconvBucketCounts()[0]).isEqualTo(1);
  }

  @Test
  void addToMergesEverything() {
    LatencyHistogram first = new LatencyHistogram();
    LatencyHistogram second = new LatencyHistogram();
    for (int i = 0; i < 100; i++) {
      first.record(2 * MILLI);
    }
    for (int i = 0; i < 300; i++) {
      second.record(20 * MILLI);
    }
    second.record(3 * SECOND);

    LatencyHistogram merged = new LatencyHistogram();
    first.addTo(merged);
    second.addTo(merged);

    assertThat(merged.count()).isEqualTo(401);
    assertThat(merged.sumNanos()).isEqualTo(first.sumNanos() + second.sumNanos());
    assertThat(merged.maxNanos()).isEqualTo(3 * SECOND);
    assertThat(merged.semconvBucketCounts()).containsExactly(0, 100, 0, 300, 0, 0, 0, 1, 0, 0);
    assertThat(merged.percentileNanos(0.2)).isCloseTo(2 * MILLI, within(2 * MILLI / 32));
    assertThat(merged.percentileNanos(0.5)).isCloseTo(20 * MILLI, within(20 * MILLI / 32));
    assertThat(first.count()).isEqualTo(100);

    assertThatThrownBy(() -> merged.addTo(merged)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentRecordsAreCountedExactly() throws Exception {
    LatencyHistogram histogram = new LatencyHistogram();
    int threads = 4;
    int perThread = 1_000_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                  histogram.record((i % 1000) * MICRO);
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    long sumPerThread = 0;
    for (int i = 0; i < perThread; i++) {
      sumPerThread += (i % 1000) * MICRO;
    }
    assertThat(histogram.count()).isEqualTo((long) threads * perThread);
    assertThat(histogram.sumNanos()).isEqualTo(threads * sumPerThread);
    assertThat(histogram.maxNanos()).isEqualTo(999 * MICRO);
    assertThat(Arrays.stream(histogram.semconvBucketCounts()).sum())
        .isEqualTo((long) threads * perThread);
    assertThat(histogram.semconvBucketCounts()[0]).isEqualTo((long) threads * perThread);
  }

  private static int semconvBucketOf(long nanos) {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(nanos);
    long[] counts = histogram.semconvBucketCounts();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 1) {
        return i;
      }
    }
    throw new AssertionError("no semconv bucket counted " + nanos);
  }

  private static void assertPercentile(LatencyHistogram histogram, double quantile, long exact) {
    long reported = histogram.percentileNanos(quantile);
    assertThat((double) Math.abs(reported - exact) / exact)
        .as("p%s: reported %d, exact %d", quantile * 100, reported, exact)
        .isLessThanOrEqualTo(BUCKET_RELATIVE_ERROR + 0.001);
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
