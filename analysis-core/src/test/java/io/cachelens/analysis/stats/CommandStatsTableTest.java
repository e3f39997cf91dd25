package io.cachelens.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommandStatsTableTest {

  @Test
  void returnsTheSameCellForTheSameTriple() {
    CommandStatsTable table = new CommandStatsTable(100);
    CommandStats cell = table.cell(1, 2, 3);

    assertThat(table.cell(1, 2, 3)).isSameAs(cell);
    assertThat(table.cell(1, 2, 4)).isNotSameAs(cell);
    assertThat(table.cell(1, 3, 3)).isNotSameAs(cell);
    assertThat(table.cell(2, 2, 3)).isNotSameAs(cell);
    assertThat(table.size()).isEqualTo(4);
  }

  @Test
  void acceptsTheWholeIdRange() {
    CommandStatsTable table = new CommandStatsTable(100);
    CommandStats largest = table.cell(4095, CommandStatsTable.SPILL_COMMAND_ID - 1, (1 << 20) - 1);

    assertThat(largest.serverId()).isEqualTo(4095);
    assertThat(largest.commandId()).isEqualTo(CommandStatsTable.SPILL_COMMAND_ID - 1);
    assertThat(largest.prefixId()).isEqualTo((1 << 20) - 1);
    assertThat(table.cell(0, 0, 0)).isNotSameAs(largest);
  }

  @Test
  void rejectsIdsOutOfRange() {
    CommandStatsTable table = new CommandStatsTable(100);
    assertThatThrownBy(() -> table.cell(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.cell(4096, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.cell(0, 1 << 20, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.cell(0, CommandStatsTable.SPILL_COMMAND_ID, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> table.cell(0, 0, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CommandStatsTable(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CommandStatsTable(1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void growsAndKeepsEveryCell() {
    CommandStatsTable table = new CommandStatsTable(10_000);
    List<CommandStats> created = new ArrayList<>();
    for (int server = 0; server < 4; server++) {
      for (int command = 0; command < 50; command++) {
        for (int prefix = 0; prefix < 25; prefix++) {
          CommandStats cell = table.cell(server, command, prefix);
          cell.record(1_000, false, CommandStats.TTL_NOT_A_WRITE);
          created.add(cell);
        }
      }
    }

    assertThat(table.size()).isEqualTo(5_000);
    int i = 0;
    for (int server = 0; server < 4; server++) {
      for (int command = 0; command < 50; command++) {
        for (int prefix = 0; prefix < 25; prefix++) {
          CommandStats cell = table.cell(server, command, prefix);
          assertThat(cell).isSameAs(created.get(i++));
          assertThat(cell.serverId()).isEqualTo(server);
          assertThat(cell.commandId()).isEqualTo(command);
          assertThat(cell.prefixId()).isEqualTo(prefix);
        }
      }
    }
    assertThat(cellsOf(table)).hasSize(5_000).containsExactlyInAnyOrderElementsOf(created);
  }

  @Test
  void racingThreadsGetTheSameCellAndExactCounts() throws Exception {
    CommandStatsTable table = new CommandStatsTable(100_000);
    int threads = 4;
    int perThread = 1_000_000;
    int triples = 2_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    List<IdentityHashMap<CommandStats, Boolean>> seenByThread =
        Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                IdentityHashMap<CommandStats, Boolean> seen = new IdentityHashMap<>();
                LatencyHistogramTest.awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                  int triple = i % triples;
                  CommandStats cell = table.cell(triple % 3, triple / 3, triple % 17);
                  cell.record(1_000 + triple, false, CommandStats.TTL_NOT_A_WRITE);
                  seen.put(cell, Boolean.TRUE);
                }
                seenByThread.add(seen);
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(table.size()).isEqualTo(triples);
    List<CommandStats> cells = cellsOf(table);
    assertThat(cells).hasSize(triples);
    for (IdentityHashMap<CommandStats, Boolean> seen : seenByThread) {
      assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(cells);
    }
    for (CommandStats cell : cells) {
      assertThat(cell.count()).isEqualTo((long) threads * perThread / triples);
    }
  }

  @Test
  void foldsNewTriplesIntoOtherPrefixOnceFull() {
    CommandStatsTable table = new CommandStatsTable(3, 2);
    CommandStats a = table.cell(0, 1, 10);
    CommandStats b = table.cell(0, 1, 11);
    CommandStats c = table.cell(1, 1, 10);

    // Full: a new triple folds into (server, command, <other>), created beyond maxCells.
    CommandStats folded = table.cell(0, 1, 12);
    assertThat(folded.serverId()).isZero();
    assertThat(folded.commandId()).isEqualTo(1);
    assertThat(folded.prefixId()).isEqualTo(CommandStatsTable.OTHER_PREFIX_ID);
    assertThat(table.cell(0, 1, 13)).isSameAs(folded);
    assertThat(table.cell(0, 1, CommandStatsTable.OTHER_PREFIX_ID)).isSameAs(folded);

    // Existing triples keep their own cells.
    assertThat(table.cell(0, 1, 10)).isSameAs(a);
    assertThat(table.cell(0, 1, 11)).isSameAs(b);
    assertThat(table.cell(1, 1, 10)).isSameAs(c);
    assertThat(table.size()).isEqualTo(4);

    CommandStats otherServer = table.cell(1, 1, 12);
    assertThat(otherServer).isNotSameAs(folded);
    assertThat(otherServer.serverId()).isEqualTo(1);
    assertThat(otherServer.prefixId()).isEqualTo(CommandStatsTable.OTHER_PREFIX_ID);
    assertThat(table.size()).isEqualTo(5);
  }

  @Test
  void spillsIntoOneCellOnceFoldedCellsRunOut() {
    CommandStatsTable table = new CommandStatsTable(1, 1);
    CommandStats exact = table.cell(0, 1, 1);
    CommandStats folded = table.cell(0, 2, 1);
    CommandStats spill = table.cell(0, 3, 1);

    assertThat(folded.prefixId()).isEqualTo(CommandStatsTable.OTHER_PREFIX_ID);
    assertThat(spill.commandId()).isEqualTo(CommandStatsTable.SPILL_COMMAND_ID);
    assertThat(spill.serverId()).isEqualTo(CommandStatsTable.SPILL_SERVER_ID);
    assertThat(spill.prefixId()).isEqualTo(CommandStatsTable.OTHER_PREFIX_ID);
    assertThat(table.cell(5, 9, 9)).isSameAs(spill);
    assertThat(table.cell(0, 2, 7)).isSameAs(folded);
    assertThat(table.cell(0, 1, 1)).isSameAs(exact);
    assertThat(table.size()).isEqualTo(3);
    assertThat(cellsOf(table)).containsExactlyInAnyOrder(exact, folded, spill);
  }

  @Test
  void overflowKeepsTotalsExactUnderRaces() throws Exception {
    CommandStatsTable table = new CommandStatsTable(50, 20);
    int threads = 4;
    int perThread = 500_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong errorsRecorded = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread worker =
          new Thread(
              () -> {
                LatencyHistogramTest.awaitQuietly(start);
                long errors = 0;
                for (int i = 0; i < perThread; i++) {
                  int mixed = i * 31 + seed;
                  boolean error = mixed % 7 == 0;
                  table
                      .cell(mixed % 4, (mixed / 4) % 40, (mixed / 160) % 1000)
                      .record(5_000, error, CommandStats.TTL_NOT_A_WRITE);
                  if (error) {
                    errors++;
                  }
                }
                errorsRecorded.addAndGet(errors);
              });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    List<CommandStats> cells = cellsOf(table);
    assertThat(cells).hasSize(table.size()).hasSizeLessThanOrEqualTo(50 + 20 + 1);
    assertThat(cells.stream().mapToLong(CommandStats::count).sum())
        .isEqualTo((long) threads * perThread);
    assertThat(cells.stream().mapToLong(CommandStats::errors).sum())
        .isEqualTo(errorsRecorded.get());
    Set<Long> keys = new HashSet<>();
    for (CommandStats cell : cells) {
      keys.add(((long) cell.serverId() << 40) | ((long) cell.commandId() << 20) | cell.prefixId());
    }
    assertThat(keys).hasSameSizeAs(cells);
  }

  @Test
  void defaultFoldedReserveIsAtLeastSixtyFour() {
    CommandStatsTable table = new CommandStatsTable(1);
    table.cell(0, 0, 5);
    for (int command = 1; command <= 64; command++) {
      assertThat(table.cell(0, command, 5).prefixId()).isEqualTo(CommandStatsTable.OTHER_PREFIX_ID);
    }
    assertThat(table.cell(0, 65, 5).commandId()).isEqualTo(CommandStatsTable.SPILL_COMMAND_ID);
  }

  @Test
  void lookingUpAndRecordingAllocatesNothing() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(
        threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    CommandStatsTable table = new CommandStatsTable(4, 4);
    for (int prefix = 0; prefix < 20; prefix++) {
      table.cell(1, 2, prefix); // exact, folded and spill cells
      table.cell(1, prefix + 3, 9);
    }
    Runnable hotPath =
        () -> {
          for (int i = 0; i < 100_000; i++) {
            table.cell(1, 2, i % 20).record(i * 1_000L, (i & 7) == 0, i & 3);
            table.cell(1, (i % 20) + 3, 9).recordInternal();
          }
        };
    hotPath.run(); // warm up

    long before = threads.getCurrentThreadAllocatedBytes();
    hotPath.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    // 200,000 calls: anything per call would be megabytes.
    assertThat(allocated).isLessThan(10_000);
  }

  private static List<CommandStats> cellsOf(CommandStatsTable table) {
    List<CommandStats> cells = new ArrayList<>();
    table.forEach(cells::add);
    return cells;
  }
}
