package io.cachelens.analysis.storm;

import static io.cachelens.analysis.storm.SequentialRun.CONTINUED;
import static io.cachelens.analysis.storm.SequentialRun.NONE;
import static io.cachelens.analysis.storm.SequentialRun.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequentialRunTest {
  private static final int GET = 3;
  private static final int HGET = 4;
  private static final int USER = 10;
  private static final int PRODUCT = 11;
  private static final long GAP = 1_000_000;
  private static final int THRESHOLD = 3;

  /** Sends commands back to back, each taking 200 µs and starting a chosen pause after the last. */
  private static final class Thread {
    final SequentialRun run = new SequentialRun();
    long clock = 5_000_000_000L;
    boolean newConnectionEach;

    int send(int command, int prefix, long pauseNanos) {
      long start = clock + pauseNanos;
      long end = start + 200_000;
      clock = end;
      return run.next(command, prefix, newConnectionEach, start, end, GAP, THRESHOLD);
    }

    int send(int command, int prefix) {
      return send(command, prefix, 10_000);
    }
  }

  @Test
  void aRunStartsAtTheThresholdAndContinuesAfterIt() {
    Thread thread = new Thread();

    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.send(GET, USER)).isEqualTo(STARTED);
    assertThat(thread.send(GET, USER)).isEqualTo(CONTINUED);
    assertThat(thread.send(GET, USER)).isEqualTo(CONTINUED);
    assertThat(thread.run.length()).isEqualTo(5);
  }

  @Test
  void aGapOfExactlyTheMaximumStillCounts() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER, GAP);

    assertThat(thread.send(GET, USER, GAP)).isEqualTo(STARTED);
  }

  @Test
  void aLongerGapBreaksTheRun() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER);

    assertThat(thread.send(GET, USER, GAP + 1)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
    // The late command starts a new run.
    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.send(GET, USER)).isEqualTo(STARTED);
  }

  @Test
  void anotherCommandBreaksTheRun() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER);

    assertThat(thread.send(HGET, USER)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
  }

  @Test
  void anotherPrefixBreaksTheRun() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER);

    assertThat(thread.send(GET, PRODUCT)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
    thread.send(GET, PRODUCT);
    assertThat(thread.send(GET, PRODUCT)).isEqualTo(STARTED);
  }

  @Test
  void resetBreaksTheRun() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER);
    thread.run.reset();

    assertThat(thread.run.length()).isZero();
    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
  }

  @Test
  void resetEndsAStormAndTheNextRunIsANewOne() {
    Thread thread = new Thread();
    for (int i = 0; i < THRESHOLD + 2; i++) {
      thread.send(GET, USER);
    }
    thread.run.reset();

    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.send(GET, USER)).isEqualTo(STARTED);
  }

  @Test
  void aCommandStartedBeforeThePreviousReplyIsNotSequential() {
    // Pipelined or overlapping: the command was sent before the previous one's reply arrived.
    SequentialRun run = new SequentialRun();
    run.next(GET, USER, false, 0, 1_000, GAP, THRESHOLD);
    run.next(GET, USER, false, 1_100, 2_000, GAP, THRESHOLD);

    assertThat(run.next(GET, USER, false, 1_999, 3_000, GAP, THRESHOLD)).isEqualTo(NONE);
    assertThat(run.length()).isEqualTo(1);
  }

  @Test
  void theFirstCommandOnANewConnectionStartsANewRun() {
    Thread thread = new Thread();
    thread.send(GET, USER);
    thread.send(GET, USER);
    thread.newConnectionEach = true;

    assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    assertThat(thread.run.length()).isEqualTo(1);
    // Connection per request: one INCR per request, each on its own connection, back to back.
    for (int i = 0; i < 10; i++) {
      assertThat(thread.send(GET, USER)).isEqualTo(NONE);
    }
    thread.newConnectionEach = false;
    thread.send(GET, USER);
    assertThat(thread.send(GET, USER)).isEqualTo(STARTED);
  }

  @Test
  void worksAcrossNegativeNanoTimes() {
    SequentialRun run = new SequentialRun();
    run.next(GET, USER, false, -3_000, -2_000, GAP, THRESHOLD);
    run.next(GET, USER, false, -1_000, -500, GAP, THRESHOLD);

    assertThat(run.next(GET, USER, false, 100, 200, GAP, THRESHOLD)).isEqualTo(STARTED);
  }

  @Test
  void aThresholdOfOneStartsOnTheFirstCommand() {
    SequentialRun run = new SequentialRun();

    assertThat(run.next(GET, USER, false, 0, 10, GAP, 1)).isEqualTo(STARTED);
    assertThat(run.next(GET, USER, false, 20, 30, GAP, 1)).isEqualTo(CONTINUED);
    assertThat(run.next(HGET, USER, false, 40, 50, GAP, 1)).isEqualTo(STARTED);
  }
}
