package io.cachelens.analysis.connection;

import io.cachelens.analysis.audit.CallSiteCount;
import io.cachelens.analysis.audit.ConnectionSummary;
import io.cachelens.analysis.callsite.CallSiteTable;
import io.cachelens.analysis.stats.LatencyHistogram;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the service does with connections: opens per minute (the most recent {@value #MINUTES}
 * minutes), the lifetime and command count of each closed connection, and the code locations that
 * open them. Thread-safe, lock-free, fixed memory (about 8 KB plus the call-site table).
 */
public final class ConnectionTracker {
  /** How many recent minutes of opens are kept. */
  public static final int MINUTES = 120;

  // LatencyHistogram buckets start at 1024 units: lifetimes are recorded in microseconds (1 ms to
  // 38 hours at ~3% precision) and command counts plus one shifted left by 10 (exact up to 30).
  // The plus one keeps 0 and 1 apart: the first bucket holds everything below 1088.
  private static final int COUNT_SHIFT = 10;
  private static final int MINUTE_SHIFT = 32;
  private static final long OPENS_MASK = (1L << MINUTE_SHIFT) - 1;

  private final long epochNanos;
  private final Instant epoch;
  // Per slot, the absolute minute it counts and the opens in it, packed as minute << 32 | opens so
  // that starting a new minute and counting in it cannot lose a racing thread's open.
  private final AtomicLongArray opensByMinute = new AtomicLongArray(MINUTES);
  private final LatencyHistogram lifetimeMicros = new LatencyHistogram();
  private final LatencyHistogram commandsPerConnection = new LatencyHistogram();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final LongAdder sampled = new LongAdder();
  private final CallSiteTable callSites;

  /**
   * @param epoch the wall-clock time of {@code epochNanos}
   * @param epochNanos a {@link System#nanoTime()} reading that minutes are counted from
   * @param callSiteCapacity how many distinct opening locations are tracked
   */
  public ConnectionTracker(Instant epoch, long epochNanos, int callSiteCapacity) {
    this.epoch = epoch;
    this.epochNanos = epochNanos;
    this.callSites = new CallSiteTable(callSiteCapacity);
  }

  /**
   * A connection opened.
   *
   * @param callSite the service's code location that opened it, or null when its stack was not
   *     captured (sampling) or holds no service code
   * @param captured whether the stack was captured, even if no service frame was on it
   */
  public void opened(long nowNanos, String callSite, boolean captured) {
    opened.increment();
    long minute = Math.max(0, (nowNanos - epochNanos) / 60_000_000_000L);
    int slot = (int) (minute % MINUTES);
    while (true) {
      long current = opensByMinute.get(slot);
      long currentMinute = current >>> MINUTE_SHIFT;
      long next;
      if (currentMinute == minute) {
        next = current + 1;
      } else if (currentMinute < minute) {
        next = minute << MINUTE_SHIFT | 1;
      } else {
        // A reading older than the kept minutes: its minute is gone.
        break;
      }
      if (opensByMinute.compareAndSet(slot, current, next)) {
        break;
      }
    }
    if (captured) {
      // The site before the count: a summary reads the count first, so it never counts a
      // sampled open whose site it cannot see (which would read as "no service frame").
      if (callSite != null) {
        callSites.add(callSite);
      }
      sampled.increment();
    }
  }

  /** A connection closed after {@code commands} of the service's commands. */
  public void closed(long openedNanos, long nowNanos, long commands) {
    closed.increment();
    lifetimeMicros.record(Math.max(0, nowNanos - openedNanos) / 1000);
    commandsPerConnection.record((Math.max(0, Math.min(commands, 1L << 26)) + 1) << COUNT_SHIFT);
  }

  /** The connection usage so far, as of {@code nowNanos}. */
  public ConnectionSummary summary(long nowNanos) {
    // In the reverse order of opened(): every sampled open counted here has its site in the
    // snapshot and is among the opens counted.
    long sampledOpens = sampled.sum();
    List<CallSiteCount> sites = callSites.snapshot();
    long openedCount = opened.sum();
    long nowMinute = Math.max(0, (nowNanos - epochNanos) / 60_000_000_000L);
    long firstMinute = Math.max(0, nowMinute - MINUTES + 1);
    List<Long> series = new ArrayList<>((int) (nowMinute - firstMinute + 1));
    for (long minute = firstMinute; minute <= nowMinute; minute++) {
      int slot = (int) (minute % MINUTES);
      long opens = opensByMinute.get(slot);
      series.add(opens >>> MINUTE_SHIFT == minute ? opens & OPENS_MASK : 0L);
    }
    boolean anyClosed = lifetimeMicros.count() > 0;
    return new ConnectionSummary(
        openedCount,
        closed.sum(),
        anyClosed ? micros2millis(lifetimeMicros.percentileNanos(0.5)) : 0,
        anyClosed ? micros2millis(lifetimeMicros.percentileNanos(0.99)) : 0,
        anyClosed ? commands(commandsPerConnection.percentileNanos(0.5)) : 0,
        anyClosed ? commands(commandsPerConnection.percentileNanos(0.99)) : 0,
        epoch.plusSeconds(firstMinute * 60),
        series,
        sites,
        sampledOpens);
  }

  private static long commands(long recorded) {
    return (recorded >> COUNT_SHIFT) - 1;
  }

  private static long micros2millis(long micros) {
    return (micros + 500) / 1000;
  }
}
