package io.cachelens.analysis.storm;

/**
 * Follows the commands one thread sends one after the other, to spot round-trip storms: a run of
 * the same single-key command on the same prefix, each sent within a short gap of the previous
 * reply (the N+1 pattern that MGET or a pipeline would turn into one round trip). The first command
 * on a new connection starts a new run: a thread serving one request after another with a
 * connection each is churning connections, not looping over keys an MGET could batch.
 *
 * <p>One instance per thread; not thread-safe.
 */
public final class SequentialRun {
  /** {@link #next} result: the command is not part of a storm (yet). */
  public static final int NONE = 0;

  /** {@link #next} result: this command made the run reach the threshold: a new storm. */
  public static final int STARTED = 1;

  /** {@link #next} result: this command extends a storm already reported. */
  public static final int CONTINUED = 2;

  private long lastEndNanos;
  private int lastCommandId = -1;
  private int lastPrefixId = -1;
  private int length;

  /**
   * Takes the thread's next command.
   *
   * @param firstOnConnection whether it is the first command on a connection just opened
   * @param maxGapNanos the longest pause between a reply and the next command that still counts as
   *     "one after the other"
   * @param threshold the run length that makes a storm
   * @return {@link #NONE}, {@link #STARTED} or {@link #CONTINUED}
   */
  public int next(
      int commandId,
      int prefixId,
      boolean firstOnConnection,
      long startNanos,
      long endNanos,
      long maxGapNanos,
      int threshold) {
    boolean continues =
        length > 0
            && commandId == lastCommandId
            && prefixId == lastPrefixId
            && !firstOnConnection
            && startNanos - lastEndNanos <= maxGapNanos
            && startNanos >= lastEndNanos;
    length = continues ? length + 1 : 1;
    lastCommandId = commandId;
    lastPrefixId = prefixId;
    lastEndNanos = endNanos;
    if (length == threshold) {
      return STARTED;
    }
    return length > threshold ? CONTINUED : NONE;
  }

  /** Forgets the current run (the thread sent something else, e.g. a pipeline). */
  public void reset() {
    length = 0;
  }

  /** The current run's length. */
  public int length() {
    return length;
  }
}
