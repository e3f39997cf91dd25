package io.cachelens.analysis.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionTrackerTest {
  private static final Instant EPOCH = Instant.parse("2026-03-01T10:00:00Z");
  private static final long EPOCH_NANOS = -123_456_789_000L;
  private static final long MILLI = 1_000_000L;
  private static final long MINUTE = 60_000 * MILLI;
  private static final String POOL = "com.acme.Pool.borrow(Pool.java:10)";
  private static final String HANDLER = "com.acme.Handler.handle(Handler.java:55)";

  private static ConnectionTracker tracker() {
    return new ConnectionTracker(EPOCH, EPOCH_NANOS, 16);
  }

  private static long at(long nanosSinceEpoch) {
    return EPOCH_NANOS + nanosSinceEpoch;
  }

  private static void open(ConnectionTracker tracker, long nanosSinceEpoch, int times) {
    for (int i = 0; i < times; i++) {
      tracker.opened(at(nanosSinceEpoch), null, false);
    }
  }

  private static void close(
      ConnectionTracker tracker, int times, long lifetimeNanos, long commands) {
    for (int i = 0; i < times; i++) {
      tracker.closed(at(0), at(lifetimeNanos), commands);
    }
  }

  @Test
  void aFreshTrackerSummarisesNothing() {
    ConnectionSummary summary = tracker().summary(at(0));

    assertThat(summary.opened()).isZero();
    assertThat(summary.closed()).isZero();
    assertThat(summary.lifetimeP50Millis()).isZero();
    assertThat(summary.lifetimeP99Millis()).isZero();
    assertThat(summary.commandsPerConnectionP50()).isZero();
    assertThat(summary.commandsPerConnectionP99()).isZero();
    assertThat(summary.opensPerMinuteStart()).isEqualTo(EPOCH);
    assertThat(summary.opensPerMinute()).containsExactly(0L);
    assertThat(summary.callSites()).isEmpty();
    assertThat(summary.callSitesSampled()).isZero();
  }

  @Test
  void countsOpensPerMinute() {
    ConnectionTracker tracker = tracker();
    open(tracker, 0, 3);
    open(tracker, MINUTE - 1, 1);
    open(tracker, MINUTE, 2);
    open(tracker, 3 * MINUTE + 59_999 * MILLI, 5);

    ConnectionSummary summary = tracker.summary(at(3 * MINUTE + 59_999 * MILLI));

    assertThat(summary.opened()).isEqualTo(11);
    assertThat(summary.opensPerMinuteStart()).isEqualTo(EPOCH);
    assertThat(summary.opensPerMinute()).containsExactly(4L, 2L, 0L, 5L);
    assertThat(summary.peakOpensPerMinute()).isEqualTo(5);
  }

  @Test
  void theSeriesRunsUpToTheSummarysMinute() {
    ConnectionTracker tracker = tracker();
    open(tracker, 0, 2);

    assertThat(tracker.summary(at(5 * MINUTE)).opensPerMinute())
        .containsExactly(2L, 0L, 0L, 0L, 0L, 0L);
  }

  @Test
  void keepsOnlyTheMostRecentMinutes() {
    ConnectionTracker tracker = tracker();
    open(tracker, 0, 5);
    open(tracker, 10 * MINUTE, 7);
    open(tracker, 11 * MINUTE, 1);
    // Minute 130 reuses minute 10's slot.
    open(tracker, 130 * MINUTE, 2);

    ConnectionSummary summary = tracker.summary(at(130 * MINUTE + MINUTE / 2));

    assertThat(summary.opened()).isEqualTo(15);
    assertThat(summary.opensPerMinute()).hasSize(ConnectionTracker.MINUTES);
    assertThat(summary.opensPerMinuteStart()).isEqualTo(EPOCH.plus(Duration.ofMinutes(11)));
    assertThat(summary.opensPerMinute().get(0)).isEqualTo(1);
    assertThat(summary.opensPerMinute().get(ConnectionTracker.MINUTES - 1)).isEqualTo(2);
    assertThat(summary.opensPerMinute().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    assertThat(summary.peakOpensPerMinute()).isEqualTo(2);
  }

  @Test
  void theSeriesStartMovesWithTimeAndOldMinutesFallOff() {
    ConnectionTracker tracker = tracker();
    for (int minute = 0; minute < 300; minute++) {
      open(tracker, minute * MINUTE + MINUTE / 3, minute % 7 + 1);
      ConnectionSummary summary = tracker.summary(at(minute * MINUTE + MINUTE / 2));
      List<Long> series = summary.opensPerMinute();
      long first = Math.max(0, minute - ConnectionTracker.MINUTES + 1);

      assertThat(series).hasSize((int) (minute - first + 1));
      assertThat(summary.opensPerMinuteStart()).isEqualTo(EPOCH.plus(Duration.ofMinutes(first)));
      for (int i = 0; i < series.size(); i++) {
        assertThat(series.get(i)).isEqualTo((first + i) % 7 + 1);
      }
    }
    // Three hours later without an open, the whole series is zero and starts 2 hours back.
    ConnectionSummary later = tracker.summary(at(479 * MINUTE));
    assertThat(later.opensPerMinute()).hasSize(ConnectionTracker.MINUTES).containsOnly(0L);
    assertThat(later.opensPerMinuteStart()).isEqualTo(EPOCH.plus(Duration.ofMinutes(360)));
  }

  @Test
  void aReadingOlderThanTheKeptMinutesDoesNotCountInANewerOne() {
    ConnectionTracker tracker = tracker();
    open(tracker, 130 * MINUTE, 1);
    // A thread that read nanoTime two hours ago, for minute 10's slot, now held by minute 130.
    open(tracker, 10 * MINUTE, 1);

    ConnectionSummary summary = tracker.summary(at(130 * MINUTE));

    assertThat(summary.opened()).isEqualTo(2);
    assertThat(summary.opensPerMinute().get(ConnectionTracker.MINUTES - 1)).isEqualTo(1);
  }

  @Test
  void readingsBeforeTheEpochCountInTheFirstMinute() {
    ConnectionTracker tracker = tracker();
    open(tracker, -5 * MINUTE, 2);
    open(tracker, 0, 1);

    assertThat(tracker.summary(at(0)).opensPerMinute()).containsExactly(3L);
    assertThat(tracker.summary(at(-MINUTE)).opensPerMinute()).containsExactly(3L);
  }

  @Test
  void summarisesLifetimesAndCommandsOfClosedConnections() {
    ConnectionTracker tracker = tracker();
    close(tracker, 100, 3 * MILLI, 2);

    ConnectionSummary summary = tracker.summary(at(MINUTE));

    assertThat(summary.closed()).isEqualTo(100);
    assertThat(summary.lifetimeP50Millis()).isEqualTo(3);
    assertThat(summary.lifetimeP99Millis()).isEqualTo(3);
    assertThat(summary.commandsPerConnectionP50()).isEqualTo(2);
    assertThat(summary.commandsPerConnectionP99()).isEqualTo(2);
  }

  @Test
  void percentilesSeparateTheTypicalConnectionFromTheTail() {
    ConnectionTracker tracker = tracker();
    close(tracker, 90, 12 * MILLI, 3);
    close(tracker, 10, 2_000 * MILLI, 500);

    ConnectionSummary summary = tracker.summary(at(MINUTE));

    assertThat(summary.lifetimeP50Millis()).isBetween(12L * 97 / 100, 12L * 103 / 100);
    assertThat(summary.lifetimeP99Millis()).isBetween(1_940L, 2_060L);
    assertThat(summary.commandsPerConnectionP50()).isEqualTo(3);
    assertThat(summary.commandsPerConnectionP99()).isBetween(485L, 515L);
  }

  @Test
  void smallCommandCountsAreExact() {
    for (long commands = 0; commands <= 30; commands++) {
      ConnectionTracker tracker = tracker();
      // A larger tail keeps the reported value from being capped at the maximum recorded.
      close(tracker, 60, MILLI, commands);
      close(tracker, 40, MILLI, 1_000);

      assertThat(tracker.summary(at(0)).commandsPerConnectionP50())
          .as("%d commands", commands)
          .isEqualTo(commands);
    }
  }

  @Test
  void oneCommandIsNotZero() {
    ConnectionTracker tracker = tracker();
    close(tracker, 30, 2 * MILLI, 0);
    close(tracker, 70, 2 * MILLI, 1);

    ConnectionSummary summary = tracker.summary(at(0));

    assertThat(summary.commandsPerConnectionP50()).isEqualTo(1);
    assertThat(summary.commandsPerConnectionP99()).isEqualTo(1);
  }

  @Test
  void connectionsThatSentNoCommandCountZero() {
    ConnectionTracker tracker = tracker();
    close(tracker, 60, 2 * MILLI, 0);
    close(tracker, 40, 2 * MILLI, 5);

    ConnectionSummary summary = tracker.summary(at(0));

    assertThat(summary.commandsPerConnectionP50()).isZero();
    assertThat(summary.commandsPerConnectionP99()).isEqualTo(5);
  }

  @Test
  void longLifetimesAndHugeCountsStayInRange() {
    ConnectionTracker tracker = tracker();
    close(tracker, 1, 30L * 3_600_000 * MILLI, Long.MAX_VALUE);
    close(tracker, 1, -5 * MILLI, -3);

    ConnectionSummary summary = tracker.summary(at(0));

    assertThat(summary.lifetimeP99Millis()).isBetween(30L * 3_600_000 * 97 / 100, 30L * 3_600_000);
    // Lifetimes under a millisecond share the first bucket and read as about 1 ms.
    assertThat(summary.lifetimeP50Millis()).isLessThanOrEqualTo(1);
    assertThat(summary.commandsPerConnectionP99()).isBetween(1L << 25, 1L << 27);
    assertThat(summary.commandsPerConnectionP50()).isZero();
  }

  @Test
  void countsCallSitesOnlyForCapturedStacks() {
    ConnectionTracker tracker = tracker();
    for (int i = 0; i < 3; i++) {
      tracker.opened(at(0), HANDLER, true);
    }
    tracker.opened(at(0), POOL, true);
    // Captured, but no service frame on the stack.
    tracker.opened(at(0), null, true);
    tracker.opened(at(0), null, true);
    // Not captured: a site passed anyway is not counted.
    for (int i = 0; i < 4; i++) {
      tracker.opened(at(0), POOL, false);
    }
    tracker.opened(at(0), null, false);

    ConnectionSummary summary = tracker.summary(at(0));

    assertThat(summary.opened()).isEqualTo(11);
    assertThat(summary.callSitesSampled()).isEqualTo(6);
    assertThat(summary.callSites())
        .extracting(CallSiteCount::site, CallSiteCount::count)
        .containsExactly(tuple(HANDLER, 3L), tuple(POOL, 1L));
  }

  @Test
  void boundsTheCallSites() {
    ConnectionTracker tracker = new ConnectionTracker(EPOCH, EPOCH_NANOS, 2);
    for (int i = 0; i < 5; i++) {
      tracker.opened(at(0), "com.acme.Site" + i + ".open(Site.java:" + i + ")", true);
    }

    assertThat(tracker.summary(at(0)).callSites())
        .extracting(CallSiteCount::site)
        .hasSize(3)
        .endsWith(CallSiteCount.OTHER);
  }

  @Test
  void racingOpensAcrossMinutesLoseNoCount() throws Exception {
    int threads = 8;
    int minutes = 300;
    int perMinute = 200;
    for (int round = 0; round < 5; round++) {
      ConnectionTracker tracker = tracker();
      CyclicBarrier everyMinute = new CyclicBarrier(threads);
      List<Thread> workers = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        Thread worker =
            new Thread(
                () -> {
                  try {
                    for (int minute = 0; minute < minutes; minute++) {
                      // All threads enter each new minute together, racing to claim its slot.
                      everyMinute.await(30, TimeUnit.SECONDS);
                      for (int i = 0; i < perMinute; i++) {
                        tracker.opened(at(minute * MINUTE + i), null, false);
                      }
                    }
                  } catch (Exception e) {
                    failures.add(e);
                  }
                });
        worker.start();
        workers.add(worker);
      }
      for (Thread worker : workers) {
        worker.join();
      }
      assertThat(failures).isEmpty();

      ConnectionSummary summary = tracker.summary(at((minutes - 1) * MINUTE));
      assertThat(summary.opened()).isEqualTo((long) threads * minutes * perMinute);
      assertThat(summary.opensPerMinute())
          .hasSize(ConnectionTracker.MINUTES)
          .containsOnly((long) threads * perMinute);
    }
  }

  @Test
  void opensAndClosesAreCountedApart() {
    ConnectionTracker tracker = tracker();
    open(tracker, 0, 7);
    close(tracker, 4, 10 * MILLI, 1);

    ConnectionSummary summary = tracker.summary(at(0));

    assertThat(summary.opened()).isEqualTo(7);
    assertThat(summary.closed()).isEqualTo(4);
    assertThat(Collections.unmodifiableList(summary.opensPerMinute())).containsExactly(7L);
  }
}
