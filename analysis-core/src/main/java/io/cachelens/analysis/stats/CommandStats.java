package io.cachelens.analysis.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One aggregation cell: exact counters and a latency histogram for one (server, command, key
 * prefix) combination. Obtained from {@link CommandStatsTable#cell}; thread-safe and cumulative.
 *
 * <p>Commands the service sends are counted with {@link #record}; commands a client or pool sends
 * on its own behalf (handshake, validation PING) only with {@link #recordInternal()}, so they never
 * skew the service's counts or latencies.
 */
public final class CommandStats {

  /** {@link #record} TTL outcome: the command is not a write, or its TTL effect is unknown. */
  public static final int TTL_NOT_A_WRITE = 0;

  /** {@link #record} TTL outcome: a write that gave its key an expiry (SET EX, SETEX, ...). */
  public static final int TTL_SET = 1;

  /** {@link #record} TTL outcome: a write that left its key without any expiry. */
  public static final int TTL_NONE = 2;

  /** {@link #record} TTL outcome: a write that kept the key's existing expiry (SET KEEPTTL). */
  public static final int TTL_KEPT = 3;

  final long key;
  private final int serverId;
  private final int commandId;
  private final int prefixId;
  private final LatencyHistogram latency = new LatencyHistogram();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong writesWithTtl = new AtomicLong();
  private final AtomicLong writesWithoutTtl = new AtomicLong();
  private final AtomicLong writesKeepingTtl = new AtomicLong();
  private final AtomicLong internal = new AtomicLong();
  private final AtomicLong writesWithTtlLater = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();

  CommandStats(int serverId, int commandId, int prefixId, long key) {
    this.serverId = serverId;
    this.commandId = commandId;
    this.prefixId = prefixId;
    this.key = key;
  }

  /**
   * Counts one command the service sent.
   *
   * @param durationNanos from dispatch to reply or failure
   * @param error true for an error reply, a timeout or a broken connection
   * @param ttlOutcome one of the {@code TTL_*} codes; unknown codes count as {@link
   *     #TTL_NOT_A_WRITE}
   */
  public void record(long durationNanos, boolean error, int ttlOutcome) {
    latency.record(durationNanos);
    if (error) {
      errors.incrementAndGet();
    }
    switch (ttlOutcome) {
      case TTL_SET -> writesWithTtl.incrementAndGet();
      case TTL_NONE -> writesWithoutTtl.incrementAndGet();
      case TTL_KEPT -> writesKeepingTtl.incrementAndGet();
      default -> {
        // Not a write: nothing beyond the count and latency.
      }
    }
  }

  /**
   * Counts writes, recorded earlier as {@link #TTL_NONE} in cells of the same prefix, whose key
   * this command (an EXPIRE or a SET with EX) gave an expiry within the grace window; recorded in
   * the cell of the command that set the expiry.
   */
  public void recordTtlSetLater(int writes) {
    writesWithTtlLater.addAndGet(writes);
  }

  /** Adds the size of the values a write carried (arguments after its keys and options). */
  public void recordBytesWritten(long bytes) {
    bytesWritten.addAndGet(bytes);
  }

  /**
   * Counts one command a client or pool sent on its own behalf. Only {@link #internal()} changes.
   */
  public void recordInternal() {
    internal.incrementAndGet();
  }

  /** The server this cell belongs to. */
  public int serverId() {
    return serverId;
  }

  /** The command this cell belongs to; {@link CommandStatsTable#SPILL_COMMAND_ID} for the spill. */
  public int commandId() {
    return commandId;
  }

  /** The key prefix this cell belongs to. */
  public int prefixId() {
    return prefixId;
  }

  /** Latency of the service's commands (not internal ones). */
  public LatencyHistogram latency() {
    return latency;
  }

  /** Commands the service sent, errors included. */
  public long count() {
    return latency.count();
  }

  /** Commands the service sent that failed. */
  public long errors() {
    return errors.get();
  }

  /** Writes that set an expiry. */
  public long writesWithTtl() {
    return writesWithTtl.get();
  }

  /** Writes that left the key without an expiry. */
  public long writesWithoutTtl() {
    return writesWithoutTtl.get();
  }

  /** Writes that kept the key's existing expiry. */
  public long writesKeepingTtl() {
    return writesKeepingTtl.get();
  }

  /** Writes of this prefix given an expiry by this cell's command soon after (see above). */
  public long writesWithTtlLater() {
    return writesWithTtlLater.get();
  }

  /** Bytes of values written. */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Commands the client or pool sent on its own behalf; not part of {@link #count()}. */
  public long internal() {
    return internal.get();
  }

  @Override
  public String toString() {
    return "CommandStats[server="
        + serverId
        + ", command="
        + commandId
        + ", prefix="
        + prefixId
        + ", count="
        + count()
        + ", errors="
        + errors()
        + ", internal="
        + internal()
        + "]";
  }
}
