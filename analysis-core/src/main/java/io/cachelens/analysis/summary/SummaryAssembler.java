package io.cachelens.analysis.summary;

import io.cachelens.analysis.stats.CommandStats;
import io.cachelens.analysis.stats.CommandStatsTable;
import io.cachelens.analysis.stats.LatencyHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Builds a {@link ServiceSummary} from a {@link CommandStatsTable}.
 *
 * <p>Internal commands are counted in {@code totals.internalCommands} only, never in {@code
 * totals.commands}, {@code totals.errors}, {@code commands} or {@code prefixes}. Two sources add
 * up:
 *
 * <ul>
 *   <li>every cell's {@link CommandStats#internal()}: invocations the client flagged as its own
 *       (handshake, pool validation), recorded with {@link CommandStats#recordInternal()};
 *   <li>the whole {@link CommandStats#count()} of cells whose command {@code isInternalCommand}
 *       accepts: commands that are internal whoever sends them (e.g. HELLO, AUTH).
 * </ul>
 *
 * <p>Cells are merged by command name and by prefix name across servers; percentiles come from the
 * merged histograms. Cells of {@code noKeyPrefixId} (keyless commands) count towards commands but
 * not prefixes. The table's spill cell appears as the command {@value #SPILL_COMMAND_NAME} and in
 * no prefix. Commands and prefixes with no service commands are left out.
 */
public final class SummaryAssembler {

  /** The command name of the table's spill cell, whose commands are unknown. */
  public static final String SPILL_COMMAND_NAME = "<other>";

  private SummaryAssembler() {}

  /**
   * Assembles a summary of everything the table holds.
   *
   * @param header service, host, pid, window and connection counts
   * @param table the cells to summarize
   * @param commandName the name of a command id, e.g. {@code GET}
   * @param isRead whether a command id reads keys
   * @param isWrite whether a command id writes keys
   * @param prefixName the name of a prefix id, e.g. {@code product:cache:*}
   * @param isInternalCommand whether a command id is always internal (see the class description)
   * @param noKeyPrefixId the prefix id of commands without a key, left out of {@code prefixes}
   */
  public static ServiceSummary assemble(
      SummaryHeader header,
      CommandStatsTable table,
      IntFunction<String> commandName,
      IntPredicate isRead,
      IntPredicate isWrite,
      IntFunction<String> prefixName,
      IntPredicate isInternalCommand,
      int noKeyPrefixId) {
    Assembly assembly =
        new Assembly(commandName, isRead, isWrite, prefixName, isInternalCommand, noKeyPrefixId);
    table.forEach(assembly);

    List<CommandSummary> commands = new ArrayList<>(assembly.byCommand.size());
    for (CommandAccumulator accumulator : assembly.byCommand.values()) {
      commands.add(accumulator.summary());
    }
    commands.sort(
        Comparator.comparingLong(CommandSummary::count)
            .reversed()
            .thenComparing(CommandSummary::name));

    List<PrefixAccumulator> prefixAccumulators = new ArrayList<>(assembly.byPrefix.values());
    prefixAccumulators.sort(
        Comparator.comparingLong((PrefixAccumulator accumulator) -> accumulator.commands)
            .reversed()
            .thenComparing(accumulator -> accumulator.prefix));
    List<PrefixSummary> prefixes = new ArrayList<>(prefixAccumulators.size());
    for (PrefixAccumulator accumulator : prefixAccumulators) {
      prefixes.add(accumulator.summary());
    }

    SummaryTotals totals =
        new SummaryTotals(
            assembly.serviceCommands,
            assembly.serviceErrors,
            assembly.internalCommands,
            header.connectionsOpened(),
            header.connectionsClosed());
    return new ServiceSummary(
        header.service(),
        header.host(),
        header.pid(),
        header.windowStart(),
        header.windowEnd(),
        totals,
        commands,
        prefixes);
  }

  /** Nanoseconds to whole microseconds, rounded half up. */
  static long toMicros(long nanos) {
    return (nanos + 500) / 1000;
  }

  private static String nameOrId(IntFunction<String> names, int id, String fallbackPrefix) {
    String name = names.apply(id);
    return name != null ? name : fallbackPrefix + id;
  }

  /** Walks the cells once, merging them by command name and by prefix name. */
  private static final class Assembly implements Consumer<CommandStats> {
    private final IntFunction<String> commandName;
    private final IntPredicate isRead;
    private final IntPredicate isWrite;
    private final IntFunction<String> prefixName;
    private final IntPredicate isInternalCommand;
    private final int noKeyPrefixId;
    final Map<String, CommandAccumulator> byCommand = new HashMap<>();
    final Map<String, PrefixAccumulator> byPrefix = new HashMap<>();
    long serviceCommands;
    long serviceErrors;
    long internalCommands;

    Assembly(
        IntFunction<String> commandName,
        IntPredicate isRead,
        IntPredicate isWrite,
        IntFunction<String> prefixName,
        IntPredicate isInternalCommand,
        int noKeyPrefixId) {
      this.commandName = commandName;
      this.isRead = isRead;
      this.isWrite = isWrite;
      this.prefixName = prefixName;
      this.isInternalCommand = isInternalCommand;
      this.noKeyPrefixId = noKeyPrefixId;
    }

    @Override
    public void accept(CommandStats cell) {
      // Each counter is read once, so the totals and the lists agree even while commands run.
      long count = cell.count();
      internalCommands += cell.internal();
      int commandId = cell.commandId();
      boolean spill = commandId == CommandStatsTable.SPILL_COMMAND_ID;
      if (!spill && isInternalCommand.test(commandId)) {
        internalCommands += count;
        return;
      }
      if (count == 0) {
        return;
      }
      long errors = cell.errors();
      serviceCommands += count;
      serviceErrors += errors;

      String name = spill ? SPILL_COMMAND_NAME : nameOrId(commandName, commandId, "#");
      byCommand.computeIfAbsent(name, CommandAccumulator::new).add(cell, count, errors);

      if (spill || cell.prefixId() == noKeyPrefixId) {
        return;
      }
      String prefix = nameOrId(prefixName, cell.prefixId(), "prefix#");
      byPrefix
          .computeIfAbsent(prefix, PrefixAccumulator::new)
          .add(cell, count, isRead.test(commandId), isWrite.test(commandId));
    }
  }

  private static final class CommandAccumulator {
    private final String name;
    private final LatencyHistogram latency = new LatencyHistogram();
    private long count;
    private long errors;

    CommandAccumulator(String name) {
      this.name = name;
    }

    void add(CommandStats cell, long cellCount, long cellErrors) {
      count += cellCount;
      errors += cellErrors;
      cell.latency().addTo(latency);
    }

    CommandSummary summary() {
      return new CommandSummary(
          name,
          count,
          errors,
          toMicros(latency.percentileNanos(0.5)),
          toMicros(latency.percentileNanos(0.99)));
    }
  }

  private static final class PrefixAccumulator {
    private final String prefix;
    private final LatencyHistogram latency = new LatencyHistogram();
    private long commands;
    private long reads;
    private long writes;
    private long writesWithoutTtl;
    private long writesWithTtl;
    private long writesWithTtlLater;
    private long bytesWritten;

    PrefixAccumulator(String prefix) {
      this.prefix = prefix;
    }

    void add(CommandStats cell, long cellCount, boolean read, boolean write) {
      commands += cellCount;
      if (read) {
        reads += cellCount;
      }
      if (write) {
        writes += cellCount;
      }
      writesWithoutTtl += cell.writesWithoutTtl();
      writesWithTtl += cell.writesWithTtl();
      writesWithTtlLater += cell.writesWithTtlLater();
      bytesWritten += cell.bytesWritten();
      cell.latency().addTo(latency);
    }

    PrefixSummary summary() {
      return new PrefixSummary(
          prefix,
          reads,
          writes,
          // Rescued writes were counted without TTL when they ran; subtracting them here keeps the
          // per-command path to plain increments.
          Math.max(0, writesWithoutTtl - writesWithTtlLater),
          writesWithTtl,
          writesWithTtlLater,
          bytesWritten,
          toMicros(latency.percentileNanos(0.5)),
          toMicros(latency.percentileNanos(0.99)));
    }
  }
}
