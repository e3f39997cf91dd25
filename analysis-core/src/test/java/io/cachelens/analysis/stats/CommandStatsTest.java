package io.cachelens.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CommandStatsTest {

  @Test
  void countsOutcomesAndTtlEffects() {
    CommandStats cell = new CommandStatsTable(10).cell(1, 2, 3);
    cell.record(1_000, false, CommandStats.TTL_NOT_A_WRITE);
    cell.record(2_000, true, CommandStats.TTL_SET);
    cell.record(3_000, false, CommandStats.TTL_SET);
    cell.record(4_000, false, CommandStats.TTL_NONE);
    cell.record(5_000, false, CommandStats.TTL_KEPT);
    cell.record(6_000, true, 42);

    assertThat(cell.serverId()).isEqualTo(1);
    assertThat(cell.commandId()).isEqualTo(2);
    assertThat(cell.prefixId()).isEqualTo(3);
    assertThat(cell.count()).isEqualTo(6);
    assertThat(cell.errors()).isEqualTo(2);
    assertThat(cell.writesWithTtl()).isEqualTo(2);
    assertThat(cell.writesWithoutTtl()).isEqualTo(1);
    assertThat(cell.writesKeepingTtl()).isEqualTo(1);
    assertThat(cell.internal()).isZero();
    assertThat(cell.latency().count()).isEqualTo(6);
    assertThat(cell.latency().sumNanos()).isEqualTo(21_000);
    assertThat(cell.latency().maxNanos()).isEqualTo(6_000);
  }

  @Test
  void internalCommandsAreCountedApart() {
    CommandStats cell = new CommandStatsTable(10).cell(0, 7, 0);
    cell.recordInternal();
    cell.recordInternal();
    cell.record(1_000, false, CommandStats.TTL_NOT_A_WRITE);

    assertThat(cell.internal()).isEqualTo(2);
    assertThat(cell.count()).isEqualTo(1);
    assertThat(cell.latency().count()).isEqualTo(1);
  }

  @Test
  void concurrentRecordsAreCountedExactly() throws Exception {
    CommandStats cell = new CommandStatsTable(10).cell(0, 1, 1);
    int threads = 4;
    int perThread = 1_000_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                LatencyHistogramTest.awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                  cell.record(10_000 + i % 100, i % 10 == 0, i % 4);
                  if (i % 100 == 0) {
                    cell.recordInternal();
                  }
                }
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    long total = (long) threads * perThread;
    assertThat(cell.count()).isEqualTo(total);
    assertThat(cell.errors()).isEqualTo(total / 10);
    assertThat(cell.writesWithTtl()).isEqualTo(total / 4);
    assertThat(cell.writesWithoutTtl()).isEqualTo(total / 4);
    assertThat(cell.writesKeepingTtl()).isEqualTo(total / 4);
    assertThat(cell.internal()).isEqualTo(total / 100);
    assertThat(cell.latency().maxNanos()).isEqualTo(10_099);
  }
}
