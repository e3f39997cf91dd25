package io.cachelens.analysis.stats;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A bounded, thread-safe table of {@link CommandStats} cells keyed by (server, command, key
 * prefix).
 *
 * <p>Looking up an existing cell is lock-free and allocation-free: an open-addressing table keyed
 * by the three ids packed into a long. Creating a cell takes a lock; threads racing on a new key
 * get the same cell. The table never removes cells; it grows by doubling, and readers that miss
 * during a resize retry under the lock.
 *
 * <p>Id ranges: {@code serverId} in [0, 4096), {@code commandId} in [0, {@link #SPILL_COMMAND_ID}),
 * {@code prefixId} in [0, 2^20). Others are programming errors and throw {@link
 * IllegalArgumentException}.
 *
 * <p>Overflow rule, in three tiers, so that every record lands in some cell and totals stay exact:
 *
 * <ol>
 *   <li>Up to {@code maxCells} cells are created for exact (server, command, prefix) triples.
 *   <li>Once those exist, a new triple is folded into the cell (server, command, {@link
 *       #OTHER_PREFIX_ID}): the key prefix is lost, the server and command are kept. Up to {@code
 *       maxFoldedCells} such cells are created beyond {@code maxCells}. Triples that already had a
 *       cell keep using it.
 *   <li>Once those exist too, a new triple goes to the single spill cell (server {@link
 *       #SPILL_SERVER_ID}, command {@link #SPILL_COMMAND_ID}, prefix {@link #OTHER_PREFIX_ID}),
 *       which only keeps totals.
 * </ol>
 *
 * <p>So the table never holds more than {@code maxCells + maxFoldedCells + 1} cells.
 */
public final class CommandStatsTable {

  /** The prefix id of the {@code <other>} prefix that overflowing triples fold into. */
  public static final int OTHER_PREFIX_ID = 0;

  /** The server id of the spill cell. */
  public static final int SPILL_SERVER_ID = (1 << 12) - 1;

  /** The command id of the spill cell; reserved, callers may not use it. */
  public static final int SPILL_COMMAND_ID = (1 << 20) - 1;

  private static final int SERVER_BITS = 12;
  private static final int COMMAND_BITS = 20;
  private static final int PREFIX_BITS = 20;
  private static final int INITIAL_SLOTS = 16;
  private static final long HASH_MULTIPLIER = 0x9E3779B97F4A7C15L;

  private final int maxCells;
  private final int maxFoldedCells;

  // Kept at most half full so probing always ends on an empty slot.
  private volatile AtomicReferenceArray<CommandStats> slots =
      new AtomicReferenceArray<>(INITIAL_SLOTS);
  private volatile int size;
  private volatile boolean exactTierFull;
  private volatile CommandStats spill;

  // Guarded by this.
  private int exactCells;
  private int foldedCells;

  /**
   * A table of up to {@code maxCells} exact cells plus {@code max(64, maxCells / 4)} folded cells.
   */
  public CommandStatsTable(int maxCells) {
    this(maxCells, Math.max(64, maxCells / 4));
  }

  /**
   * A table of up to {@code maxCells} exact cells plus {@code maxFoldedCells} folded cells (see the
   * class description).
   */
  public CommandStatsTable(int maxCells, int maxFoldedCells) {
    if (maxCells < 1) {
      throw new IllegalArgumentException("maxCells must be at least 1: " + maxCells);
    }
    if (maxFoldedCells < 0) {
      throw new IllegalArgumentException("maxFoldedCells must not be negative: " + maxFoldedCells);
    }
    this.maxCells = maxCells;
    this.maxFoldedCells = maxFoldedCells;
  }

  /**
   * The cell to record a command into, created on first use; when the table is full, the cell the
   * overflow rule picks (see the class description).
   */
  public CommandStats cell(int serverId, int commandId, int prefixId) {
    long key = packKey(serverId, commandId, prefixId);
    CommandStats found = find(slots, key);
    if (found != null) {
      return found;
    }
    if (exactTierFull) {
      // Avoid the lock for the steady stream of new triples once the table is full.
      found = find(slots, packValidKey(serverId, commandId, OTHER_PREFIX_ID));
      if (found != null) {
        return found;
      }
      CommandStats spilled = spill;
      if (spilled != null) {
        return spilled;
      }
    }
    return findOrCreate(serverId, commandId, prefixId, key);
  }

  /** Calls {@code action} with every cell, in no particular order. */
  public void forEach(Consumer<CommandStats> action) {
    AtomicReferenceArray<CommandStats> current = slots;
    for (int i = 0; i < current.length(); i++) {
      CommandStats cell = current.get(i);
      if (cell != null) {
        action.accept(cell);
      }
    }
  }

  /** The number of cells, folded and spill cells included. */
  public int size() {
    return size;
  }

  private synchronized CommandStats findOrCreate(
      int serverId, int commandId, int prefixId, long key) {
    CommandStats found = find(slots, key);
    if (found != null) {
      return found;
    }
    if (exactCells < maxCells) {
      exactCells++;
      exactTierFull = exactCells == maxCells;
      return insert(new CommandStats(serverId, commandId, prefixId, key));
    }
    long foldedKey = packValidKey(serverId, commandId, OTHER_PREFIX_ID);
    found = find(slots, foldedKey);
    if (found != null) {
      return found;
    }
    if (foldedCells < maxFoldedCells) {
      foldedCells++;
      return insert(new CommandStats(serverId, commandId, OTHER_PREFIX_ID, foldedKey));
    }
    if (spill == null) {
      long spillKey = packValidKey(SPILL_SERVER_ID, SPILL_COMMAND_ID, OTHER_PREFIX_ID);
      // Published only after it is in the table, so forEach sees every cell that got records.
      CommandStats created =
          insert(new CommandStats(SPILL_SERVER_ID, SPILL_COMMAND_ID, OTHER_PREFIX_ID, spillKey));
      spill = created;
    }
    return spill;
  }

  // Called under the lock.
  private CommandStats insert(CommandStats cell) {
    AtomicReferenceArray<CommandStats> current = slots;
    if ((size + 1) * 2 > current.length()) {
      AtomicReferenceArray<CommandStats> grown = new AtomicReferenceArray<>(current.length() * 2);
      for (int i = 0; i < current.length(); i++) {
        CommandStats existing = current.get(i);
        if (existing != null) {
          place(grown, existing);
        }
      }
      place(grown, cell);
      slots = grown;
    } else {
      place(current, cell);
    }
    size = size + 1;
    return cell;
  }

  private static void place(AtomicReferenceArray<CommandStats> table, CommandStats cell) {
    int mask = table.length() - 1;
    int index = slotIndex(cell.key, mask);
    while (table.get(index) != null) {
      index = (index + 1) & mask;
    }
    table.set(index, cell);
  }

  private static CommandStats find(AtomicReferenceArray<CommandStats> table, long key) {
    int mask = table.length() - 1;
    int index = slotIndex(key, mask);
    while (true) {
      CommandStats cell = table.get(index);
      if (cell == null || cell.key == key) {
        return cell;
      }
      index = (index + 1) & mask;
    }
  }

  private static int slotIndex(long key, int mask) {
    return (int) ((key * HASH_MULTIPLIER) >>> 32) & mask;
  }

  private static long packKey(int serverId, int commandId, int prefixId) {
    if ((serverId >>> SERVER_BITS) != 0
        || (commandId >>> COMMAND_BITS) != 0
        || commandId == SPILL_COMMAND_ID
        || (prefixId >>> PREFIX_BITS) != 0) {
      throw new IllegalArgumentException(
          "ids out of range: server="
              + serverId
              + ", command="
              + commandId
              + ", prefix="
              + prefixId);
    }
    return packValidKey(serverId, commandId, prefixId);
  }

  private static long packValidKey(int serverId, int commandId, int prefixId) {
    return ((long) serverId << (COMMAND_BITS + PREFIX_BITS))
        | ((long) commandId << PREFIX_BITS)
        | prefixId;
  }
}
