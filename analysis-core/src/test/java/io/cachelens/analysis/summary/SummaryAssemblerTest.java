package io.cachelens.analysis.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.cachelens.analysis.stats.CommandStats;
import io.cachelens.analysis.stats.CommandStatsTable;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SummaryAssemblerTest {

  // A tiny command catalog and prefix registry for the tests.
  private static final int GET = 1;
  private static final int SET = 2;
  private static final int DEL = 3;
  private static final int PING = 4;
  private static final int HELLO = 5;
  private static final int GETDEL = 6;
  private static final Map<Integer, String> COMMAND_NAMES =
      Map.of(GET, "GET", SET, "SET", DEL, "DEL", PING, "PING", HELLO, "HELLO", GETDEL, "GETDEL");
  private static final Set<Integer> READS = Set.of(GET, GETDEL);
  private static final Set<Integer> WRITES = Set.of(SET, DEL, GETDEL);
  private static final Set<Integer> ALWAYS_INTERNAL = Set.of(HELLO);

  private static final int OTHER = CommandStatsTable.OTHER_PREFIX_ID;
  private static final int NO_KEY = 1;
  private static final int PRODUCT = 2;
  private static final int SESSION = 3;
  private static final Map<Integer, String> PREFIX_NAMES =
      Map.of(
          OTHER, "<other>", NO_KEY, "<no key>", PRODUCT, "product:cache:*", SESSION, "session:*");

  private static final long MICRO = 1_000;

  private static final SummaryHeader HEADER =
      new SummaryHeader(
          "checkout",
          "web-1",
          4242,
          Instant.parse("2025-01-01T10:00:00Z"),
          Instant.parse("2025-01-01T10:01:00Z"),
          8,
          2);

  private static ServiceSummary assemble(CommandStatsTable table) {
    return SummaryAssembler.assemble(
        HEADER,
        table,
        COMMAND_NAMES::get,
        READS::contains,
        WRITES::contains,
        PREFIX_NAMES::get,
        ALWAYS_INTERNAL::contains,
        NO_KEY);
  }

  private static void record(CommandStats cell, int times, long micros, boolean error, int ttl) {
    for (int i = 0; i < times; i++) {
      cell.record(micros * MICRO, error, ttl);
    }
  }

  @Test
  void copiesTheHeader() {
    ServiceSummary summary = assemble(new CommandStatsTable(10));

    assertThat(summary.service()).isEqualTo("checkout");
    assertThat(summary.host()).isEqualTo("web-1");
    assertThat(summary.pid()).isEqualTo(4242);
    assertThat(summary.windowStart()).isEqualTo(Instant.parse("2025-01-01T10:00:00Z"));
    assertThat(summary.windowEnd()).isEqualTo(Instant.parse("2025-01-01T10:01:00Z"));
    assertThat(summary.totals()).isEqualTo(new SummaryTotals(0, 0, 0, 8, 2));
    assertThat(summary.commands()).isEmpty();
    assertThat(summary.prefixes()).isEmpty();
  }

  @Test
  void countsExactlyAndSplitsReadsAndWrites() {
    CommandStatsTable table = new CommandStatsTable(100);
    // Two servers, merged in the summary.
    record(table.cell(0, GET, PRODUCT), 600, 200, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(1, GET, PRODUCT), 400, 200, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, GET, PRODUCT), 5, 200, true, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, SET, PRODUCT), 150, 400, false, CommandStats.TTL_SET);
    record(table.cell(0, SET, PRODUCT), 50, 400, false, CommandStats.TTL_NONE);
    record(table.cell(0, SET, SESSION), 30, 300, false, CommandStats.TTL_KEPT);
    record(table.cell(0, DEL, SESSION), 20, 300, true, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, GETDEL, SESSION), 10, 300, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, PING, NO_KEY), 7, 100, false, CommandStats.TTL_NOT_A_WRITE);

    ServiceSummary summary = assemble(table);

    assertThat(summary.totals()).isEqualTo(new SummaryTotals(1272, 25, 0, 8, 2));
    assertThat(summary.commands())
        .extracting(CommandSummary::name, CommandSummary::count, CommandSummary::errors)
        .containsExactly(
            tuple("GET", 1005L, 5L),
            tuple("SET", 230L, 0L),
            tuple("DEL", 20L, 20L),
            tuple("GETDEL", 10L, 0L),
            tuple("PING", 7L, 0L));
    assertThat(summary.prefixes())
        .extracting(
            PrefixSummary::prefix,
            PrefixSummary::reads,
            PrefixSummary::writes,
            PrefixSummary::writesWithoutTtl,
            PrefixSummary::writesWithTtl)
        .containsExactly(
            tuple("product:cache:*", 1005L, 200L, 50L, 150L),
            // SET KEEPTTL and DEL are writes without a TTL effect; GETDEL reads and writes.
            tuple("session:*", 10L, 60L, 0L, 0L));
    PrefixSummary product = summary.prefixes().get(0);
    assertThat(product.p50Micros()).isCloseTo(200L, within(7L));
    assertThat(product.p99Micros()).isCloseTo(400L, within(13L));
    PrefixSummary session = summary.prefixes().get(1);
    assertThat(session.p50Micros()).isEqualTo(300);
    assertThat(session.p99Micros()).isEqualTo(300);
  }

  @Test
  void percentilesComeFromMergedHistograms() {
    CommandStatsTable table = new CommandStatsTable(100);
    record(table.cell(0, GET, PRODUCT), 90, 100, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(1, GET, SESSION), 10, 10_000, false, CommandStats.TTL_NOT_A_WRITE);

    ServiceSummary summary = assemble(table);

    CommandSummary get = summary.commands().get(0);
    assertThat(get.p50Micros()).isCloseTo(100L, within(4L));
    assertThat(get.p99Micros()).isCloseTo(10_000L, within(320L));
    assertThat(summary.prefixes())
        .extracting(PrefixSummary::prefix, PrefixSummary::p99Micros)
        .containsExactly(tuple("product:cache:*", 100L), tuple("session:*", 10_000L));
  }

  @Test
  void keepsInternalCommandsOutOfTheServiceCounts() {
    CommandStatsTable table = new CommandStatsTable(100);
    record(table.cell(0, GET, PRODUCT), 10, 100, false, CommandStats.TTL_NOT_A_WRITE);
    // Validation PINGs flagged internal by the client, and one PING the service sent itself.
    CommandStats ping = table.cell(0, PING, NO_KEY);
    ping.recordInternal();
    ping.recordInternal();
    ping.recordInternal();
    record(ping, 1, 100, false, CommandStats.TTL_NOT_A_WRITE);
    // HELLO is internal whoever sends it, errors included.
    record(table.cell(0, HELLO, NO_KEY), 4, 500, true, CommandStats.TTL_NOT_A_WRITE);
    // A cell with only internal invocations.
    table.cell(1, PING, NO_KEY).recordInternal();

    ServiceSummary summary = assemble(table);

    assertThat(summary.totals()).isEqualTo(new SummaryTotals(11, 0, 8, 8, 2));
    assertThat(summary.commands())
        .extracting(CommandSummary::name, CommandSummary::count)
        .containsExactly(tuple("GET", 10L), tuple("PING", 1L));
    assertThat(summary.prefixes())
        .extracting(PrefixSummary::prefix)
        .containsExactly("product:cache:*");
  }

  @Test
  void sortsByCountThenName() {
    CommandStatsTable table = new CommandStatsTable(100);
    record(table.cell(0, SET, SESSION), 5, 100, false, CommandStats.TTL_SET);
    record(table.cell(0, GET, SESSION), 5, 100, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, DEL, PRODUCT), 5, 100, false, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(0, GETDEL, OTHER), 9, 100, false, CommandStats.TTL_NOT_A_WRITE);

    ServiceSummary summary = assemble(table);

    assertThat(summary.commands())
        .extracting(CommandSummary::name)
        .containsExactly("GETDEL", "DEL", "GET", "SET");
    assertThat(summary.prefixes())
        .extracting(PrefixSummary::prefix)
        .containsExactly("session:*", "<other>", "product:cache:*");
  }

  @Test
  void overflowingCellsKeepTotalsExact() {
    CommandStatsTable table = new CommandStatsTable(1, 1);
    record(table.cell(0, GET, PRODUCT), 3, 100, false, CommandStats.TTL_NOT_A_WRITE);
    // Folded into (0, SET, <other>).
    record(table.cell(0, SET, SESSION), 4, 100, false, CommandStats.TTL_SET);
    // Spilled: command and prefix unknown.
    record(table.cell(0, DEL, SESSION), 5, 100, true, CommandStats.TTL_NOT_A_WRITE);
    record(table.cell(1, HELLO, NO_KEY), 6, 100, false, CommandStats.TTL_NOT_A_WRITE);

    ServiceSummary summary = assemble(table);

    assertThat(summary.totals()).isEqualTo(new SummaryTotals(18, 5, 0, 8, 2));
    assertThat(summary.commands())
        .extracting(CommandSummary::name, CommandSummary::count)
        .containsExactly(
            tuple(SummaryAssembler.SPILL_COMMAND_NAME, 11L), tuple("SET", 4L), tuple("GET", 3L));
    assertThat(summary.prefixes())
        .extracting(PrefixSummary::prefix, PrefixSummary::reads, PrefixSummary::writes)
        .containsExactly(tuple("<other>", 0L, 4L), tuple("product:cache:*", 3L, 0L));
  }

  @Test
  void namesUnknownIdsByNumber() {
    CommandStatsTable table = new CommandStatsTable(10);
    record(table.cell(0, 77, 99), 1, 100, false, CommandStats.TTL_NOT_A_WRITE);

    ServiceSummary summary = assemble(table);

    assertThat(summary.commands()).extracting(CommandSummary::name).containsExactly("#77");
    assertThat(summary.prefixes()).extracting(PrefixSummary::prefix).containsExactly("prefix#99");
  }

  @Test
  void convertsNanosToRoundedMicros() {
    assertThat(SummaryAssembler.toMicros(0)).isZero();
    assertThat(SummaryAssembler.toMicros(499)).isZero();
    assertThat(SummaryAssembler.toMicros(500)).isEqualTo(1);
    assertThat(SummaryAssembler.toMicros(1_499)).isEqualTo(1);
    assertThat(SummaryAssembler.toMicros(1_500)).isEqualTo(2);
  }
}
