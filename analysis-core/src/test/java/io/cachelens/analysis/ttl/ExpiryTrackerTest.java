package io.cachelens.analysis.ttl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExpiryTrackerTest {
  // An arbitrary nanoTime origin, as a JVM would hand out.
  private static final long EPOCH = 7_345_678_901_234L;
  private static final long GRACE = 2_000;
  private static final long HOUR = 3_600_000;

  // Two hashes that share slot 1 of any table but differ in fingerprint.
  private static final long A = 0x0000_0100_0000_0001L;
  private static final long B = 0x0000_0200_0000_0001L;

  private static long at(long millis) {
    return EPOCH + millis * 1_000_000;
  }

  private static long hash(String key) {
    return KeyHash.of(key.getBytes(StandardCharsets.UTF_8));
  }

  private static ExpiryTracker tracker() {
    return new ExpiryTracker(1 << 12, GRACE, EPOCH);
  }

  @Test
  void anExpiryWithinTheGraceWindowRescuesThePendingWrites() {
    ExpiryTracker tracker = tracker();
    long key = hash("session:42");

    assertThat(tracker.writeWithoutTtl(key, true, at(0))).isFalse();
    assertThat(tracker.writeWithoutTtl(key, true, at(10))).isFalse();
    assertThat(tracker.writeWithoutTtl(key, false, at(20))).isFalse();

    assertThat(tracker.expirySet(key, 60_000, at(500))).isEqualTo(3);
    // Rescued once: a second EXPIRE has nothing left to rescue.
    assertThat(tracker.expirySet(key, 60_000, at(600))).isZero();
    assertThat(tracker.evictions()).isZero();
  }

  @Test
  void anExpiryOfAnotherKeyRescuesNothing() {
    ExpiryTracker tracker = tracker();
    long written = hash("cart:1");

    tracker.writeWithoutTtl(written, true, at(0));

    assertThat(tracker.expirySet(hash("cart:2"), 60_000, at(1))).isZero();
    assertThat(tracker.expirySet(written, 60_000, at(2))).isEqualTo(1);
  }

  @Test
  void theGraceWindowIsMeasuredFromTheLastWrite() {
    ExpiryTracker tracker = tracker();
    long key = hash("session:1");

    tracker.writeWithoutTtl(key, true, at(0));
    tracker.writeWithoutTtl(key, true, at(1_500));

    // 2.5 s after the first write but 1 s after the second: both are rescued.
    assertThat(tracker.expirySet(key, 60_000, at(2_500))).isEqualTo(2);
  }

  @Test
  void anExpiryAfterTheGraceWindowRescuesNothing() {
    ExpiryTracker tracker = tracker();
    long early = hash("a");
    long late = hash("b");

    tracker.writeWithoutTtl(early, true, at(0));
    tracker.writeWithoutTtl(late, true, at(0));

    assertThat(tracker.expirySet(early, 60_000, at(GRACE - 1))).isEqualTo(1);
    assertThat(tracker.expirySet(late, 60_000, at(GRACE + 1))).isZero();
  }

  @Test
  void theCountOfPendingWritesSaturates() {
    ExpiryTracker tracker = tracker();
    long key = hash("counter");

    for (int i = 0; i < ExpiryTracker.MAX_COUNT + 100; i++) {
      assertThat(tracker.writeWithoutTtl(key, true, at(0))).isFalse();
    }

    assertThat(tracker.expirySet(key, 60_000, at(1))).isEqualTo(ExpiryTracker.MAX_COUNT);
  }

  @Test
  void aKeyKnownToHaveTtlKeepsItForInPlaceWritesUntilTheTtlPasses() {
    ExpiryTracker tracker = tracker();
    long key = hash("ratelimit:user:7");

    assertThat(tracker.expirySet(key, 60_000, at(0))).isZero();

    assertThat(tracker.writeWithoutTtl(key, true, at(1))).isTrue();
    assertThat(tracker.writeWithoutTtl(key, true, at(59_999))).isTrue();
    // The key expired in Redis: the next INCR creates it again without TTL.
    assertThat(tracker.writeWithoutTtl(key, true, at(60_001))).isFalse();
    assertThat(tracker.expirySet(key, 60_000, at(60_002))).isEqualTo(1);
  }

  @Test
  void aReplacingWriteDropsTheKnownTtlAndMakesTheKeyPendingAgain() {
    ExpiryTracker tracker = tracker();
    long key = hash("profile:9");
    tracker.expirySet(key, 60_000, at(0));

    // SET (or PERSIST) drops the expiry.
    assertThat(tracker.writeWithoutTtl(key, false, at(10))).isFalse();
    // So an HSET after it is no longer covered by a TTL.
    assertThat(tracker.writeWithoutTtl(key, true, at(20))).isFalse();

    assertThat(tracker.expirySet(key, 60_000, at(30))).isEqualTo(2);
    assertThat(tracker.writeWithoutTtl(key, true, at(40))).isTrue();
  }

  @Test
  void aZeroTtlDeletesTheKeyAndForgetsItsTtl() {
    ExpiryTracker tracker = tracker();
    long key = hash("tmp:1");
    tracker.expirySet(key, 60_000, at(0));

    assertThat(tracker.expirySet(key, 0, at(1))).isZero();

    // The key is gone: a write creates it without TTL.
    assertThat(tracker.writeWithoutTtl(key, true, at(2))).isFalse();
    assertThat(tracker.expirySet(key, 60_000, at(3))).isEqualTo(1);
  }

  @Test
  void anExpireThatDeletesRescuesNothingAsADelWould() {
    ExpiryTracker tracker = tracker();
    long key = hash("tmp:2");

    tracker.writeWithoutTtl(key, true, at(0));
    // EXPIRE key -5 (or 0, or EXPIREAT in the past) deletes the key: its write got no TTL.
    assertThat(tracker.expirySet(key, 0, at(1))).isZero();
    // An EXPIRE of the key created again rescues the new write only.
    assertThat(tracker.writeWithoutTtl(key, true, at(2))).isFalse();
    assertThat(tracker.expirySet(key, 60_000, at(3))).isEqualTo(1);
  }

  @Test
  void aDeletedKeyLosesItsKnownTtl() {
    ExpiryTracker tracker = tracker();
    long key = hash("ratelimit:user:8");
    tracker.expirySet(key, 60_000, at(0));
    assertThat(tracker.writeWithoutTtl(key, true, at(1))).isTrue();

    tracker.keyDeleted(key, at(2));

    // The rate limiter's next INCR creates a fresh key, without TTL until its EXPIRE.
    assertThat(tracker.writeWithoutTtl(key, true, at(3))).isFalse();
    assertThat(tracker.expirySet(key, 60_000, at(4))).isEqualTo(1);
    assertThat(tracker.writeWithoutTtl(key, true, at(5))).isTrue();
  }

  @Test
  void aDeleteForgetsPendingWrites() {
    ExpiryTracker tracker = tracker();
    long key = hash("lock:9");
    tracker.writeWithoutTtl(key, true, at(0));
    tracker.writeWithoutTtl(key, true, at(1));

    tracker.keyDeleted(key, at(2));

    assertThat(tracker.expirySet(key, 60_000, at(3))).isZero();
  }

  @Test
  void aDeleteLeavesAnotherKeyInTheSameSlotAlone() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);
    tracker.writeWithoutTtl(A, true, at(0));
    tracker.keyDeleted(B, at(1));
    assertThat(tracker.expirySet(A, 60_000, at(2))).isEqualTo(1);

    tracker.expirySet(B, 60_000, at(3));
    assertThat(tracker.expirySet(A, 0, at(4))).isZero();
    assertThat(tracker.writeWithoutTtl(B, true, at(5))).isTrue();
    assertThat(tracker.evictions()).isZero();
  }

  @Test
  void anUnknownTtlIsRememberedForTheGraceWindowOnly() {
    ExpiryTracker tracker = tracker();
    long key = hash("lock:1");

    tracker.writeWithoutTtl(key, true, at(0));
    assertThat(tracker.expirySet(key, -1, at(1))).isEqualTo(1);

    assertThat(tracker.writeWithoutTtl(key, true, at(GRACE - 1))).isTrue();
    assertThat(tracker.writeWithoutTtl(key, true, at(GRACE + 2))).isFalse();
  }

  @Test
  void aTtlBeyondTheRememberedRangeIsKeptForTheLongestRememberedTime() {
    ExpiryTracker tracker = tracker();
    long key = hash("config:flags");

    tracker.expirySet(key, 30L * 24 * HOUR, at(0));

    assertThat(tracker.writeWithoutTtl(key, true, at(36 * HOUR))).isTrue();
    // Beyond about 37 hours the tracker no longer knows: it errs towards reporting.
    assertThat(tracker.writeWithoutTtl(key, true, at(38 * HOUR))).isFalse();
  }

  @Test
  void aSecondPendingKeyInTheSameSlotEvictsTheFirst() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);

    tracker.writeWithoutTtl(A, true, at(0));
    tracker.writeWithoutTtl(A, true, at(1));
    tracker.writeWithoutTtl(B, true, at(2));

    assertThat(tracker.evictions()).isEqualTo(1);
    assertThat(tracker.expirySet(A, 60_000, at(3))).isZero();
    assertThat(tracker.expirySet(B, 60_000, at(4))).isEqualTo(1);
    assertThat(tracker.evictions()).isEqualTo(1);
  }

  @Test
  void replacingAnExpiredPendingEntryIsNoEviction() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);

    tracker.writeWithoutTtl(A, true, at(0));
    tracker.writeWithoutTtl(B, true, at(GRACE + 1));
    // Nor is replacing a known-TTL entry.
    tracker.expirySet(A, 60_000, at(GRACE + 2));
    tracker.expirySet(B, 60_000, at(GRACE + 3));
    tracker.writeWithoutTtl(A, true, at(GRACE + 4));

    assertThat(tracker.evictions()).isZero();
  }

  @Test
  void anExpiryOfACollidingKeyKeepsTheOtherKeysPendingWrites() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);

    tracker.writeWithoutTtl(A, true, at(0));
    tracker.writeWithoutTtl(A, true, at(1));
    assertThat(tracker.expirySet(B, 60_000, at(2))).isZero();

    assertThat(tracker.expirySet(A, 60_000, at(3))).isEqualTo(2);
    // B's expiry could not be remembered: its next write counts as without TTL.
    assertThat(tracker.writeWithoutTtl(B, true, at(4))).isFalse();
  }

  @Test
  void anExpiryOfACollidingKeyReplacesAnotherKeysKnownTtl() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);

    tracker.expirySet(A, 60_000, at(0));
    tracker.expirySet(B, 60_000, at(1));

    assertThat(tracker.writeWithoutTtl(B, true, at(2))).isTrue();
    // A lost its slot: errs towards reporting its write.
    assertThat(tracker.writeWithoutTtl(A, true, at(3))).isFalse();
  }

  @Test
  void aPendingEntryLeftAloneForMoreThanHalfTheClockReadsAsExpired() {
    ExpiryTracker tracker = new ExpiryTracker(1, GRACE, EPOCH);

    tracker.writeWithoutTtl(A, true, at(0));

    // 40 hours later, past half of the 2^28 ms clock: the old write is long out of its window.
    tracker.writeWithoutTtl(A, true, at(40 * HOUR));
    assertThat(tracker.expirySet(A, 60_000, at(40 * HOUR + 1))).isEqualTo(1);

    tracker.writeWithoutTtl(B, true, at(41 * HOUR));
    tracker.writeWithoutTtl(A, true, at(81 * HOUR));
    assertThat(tracker.evictions()).isZero();
    assertThat(tracker.expirySet(A, 60_000, at(81 * HOUR + 1))).isEqualTo(1);
  }

  @Test
  void aKnownTtlEntryFromEightyHoursAgoReadsAsExpired() {
    ExpiryTracker tracker = tracker();
    long daily = hash("report:daily");
    long hourly = hash("report:hourly");
    long longest = hash("report:forever");

    tracker.expirySet(daily, 24 * HOUR, at(0));
    tracker.expirySet(hourly, HOUR, at(0));
    tracker.expirySet(longest, Long.MAX_VALUE, at(0));

    // The 28-bit millisecond clock wrapped (it spans about 74.6 hours): each key expired long ago
    // in Redis, so each write recreates it without a TTL.
    assertThat(tracker.writeWithoutTtl(daily, true, at(80 * HOUR))).isFalse();
    assertThat(tracker.writeWithoutTtl(hourly, true, at(80 * HOUR))).isFalse();
    assertThat(tracker.writeWithoutTtl(longest, true, at(80 * HOUR))).isFalse();
  }

  @Test
  void aKeyGivenItsTtlAgainAfterTheClockWrappedIsKnownAgain() {
    ExpiryTracker tracker = tracker();
    long key = hash("session:wrap");

    tracker.expirySet(key, 10 * HOUR, at(0));
    tracker.expirySet(key, 10 * HOUR, at(80 * HOUR));

    assertThat(tracker.writeWithoutTtl(key, true, at(85 * HOUR))).isTrue();
    assertThat(tracker.writeWithoutTtl(key, true, at(91 * HOUR))).isFalse();
  }

  @Test
  void readingsBeforeTheEpochWork() {
    ExpiryTracker tracker = tracker();
    long key = hash("early");

    tracker.writeWithoutTtl(key, true, EPOCH - 5_000_000);
    assertThat(tracker.expirySet(key, 1_000, EPOCH + 5_000_000)).isEqualTo(1);
    assertThat(tracker.writeWithoutTtl(key, true, EPOCH + 500_000_000)).isTrue();
  }

  @Test
  void aZeroGraceWindowRescuesNothing() {
    ExpiryTracker tracker = new ExpiryTracker(16, 0, EPOCH);
    long key = hash("k");

    tracker.writeWithoutTtl(key, true, at(0));

    assertThat(tracker.expirySet(key, 1_000, at(0))).isZero();
    assertThat(tracker.writeWithoutTtl(key, true, at(1))).isTrue();
  }

  @Test
  void sizesTheTableToAPowerOfTwoAndRejectsBadArguments() {
    assertThat(new ExpiryTracker(1, GRACE, EPOCH).footprintBytes()).isEqualTo(8);
    assertThat(new ExpiryTracker(1_000, GRACE, EPOCH).footprintBytes()).isEqualTo(8 * 1024);
    assertThat(new ExpiryTracker(1024, GRACE, EPOCH).footprintBytes()).isEqualTo(8 * 1024);

    assertThatThrownBy(() -> new ExpiryTracker(0, GRACE, EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExpiryTracker((1 << 26) + 1, GRACE, EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExpiryTracker(16, -1, EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExpiryTracker(16, 1L << 27, EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void survivesThreadsHammeringSharedSlots() throws Exception {
    // 64 keys in 16 slots: constant collisions, evictions and CAS races.
    ExpiryTracker tracker = new ExpiryTracker(16, GRACE, EPOCH);
    long[] keys = new long[64];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = hash("key:" + i);
    }
    int threads = 8;
    int operations = 200_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      results.add(
          pool.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                long writes = 0;
                long kept = 0;
                long rescued = 0;
                start.await();
                for (int i = 0; i < operations; i++) {
                  long key = keys[random.nextInt(keys.length)];
                  // Threads' clocks interleave and drift a little, as nanoTime readings do.
                  long now = at(i / 10 + random.nextInt(5));
                  if (random.nextInt(3) == 0) {
                    int ttl = random.nextInt(4);
                    rescued += tracker.expirySet(key, ttl == 0 ? -1 : ttl * 500L, now);
                  } else {
                    writes++;
                    if (tracker.writeWithoutTtl(key, random.nextBoolean(), now)) {
                      kept++;
                    }
                  }
                }
                return new long[] {writes, kept, rescued};
              }));
    }
    start.countDown();
    long writes = 0;
    long kept = 0;
    long rescued = 0;
    for (Future<long[]> result : results) {
      long[] counts = result.get(60, TimeUnit.SECONDS);
      writes += counts[0];
      kept += counts[1];
      rescued += counts[2];
    }
    pool.shutdown();

    assertThat(writes).isCloseTo((long) threads * operations * 2 / 3, within(threads * 2_000L));
    assertThat(rescued).isPositive().isLessThanOrEqualTo(writes - kept);
    assertThat(kept).isPositive();
    assertThat(tracker.evictions()).isPositive().isLessThanOrEqualTo(writes - kept);
  }
}
