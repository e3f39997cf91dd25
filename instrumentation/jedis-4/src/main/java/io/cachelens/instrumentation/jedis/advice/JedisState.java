package io.cachelens.instrumentation.jedis.advice;

/**
 * The names of the fields the instrumentation adds to {@code redis.clients.jedis.Connection}, and
 * the private flag bits kept in its ring of commands awaiting replies.
 *
 * <p>Every member is a compile-time constant, which javac copies into the advice that uses it: the
 * advice inlined into Jedis never references this class at run time.
 *
 * <p>Per connection, the advice keeps the commands written but not yet answered in a ring of four
 * parallel arrays (command, start time, flags, deferred error) indexed by {@code head} and {@code
 * count}. A reply read at {@code Connection.readProtocolWithCheckingBroken()} completes the oldest
 * entry; inside MULTI the "QUEUED" replies only mark entries as {@code deferred} until EXEC or
 * DISCARD answers.
 */
public final class JedisState {
  /** The {@link io.cachelens.instrumentation.api.RedisConnection}, or null before connect. */
  public static final String STATE = "cachelens$state";

  /** The socket whose connection was announced with {@code connectionOpened}, or null. */
  public static final String SOCKET = "cachelens$socket";

  /** Depth of {@code initializeFromClientConfig}: above zero while the handshake runs. */
  public static final String INIT = "cachelens$init";

  /** The database index of the client config seen by the running handshake. */
  public static final String CONFIG_DB = "cachelens$configDb";

  /** The number of replies the running {@code getMany} reads (a pipeline flush), or 0. */
  public static final String BATCH = "cachelens$batch";

  /** 1 between a MULTI written and its EXEC or DISCARD, else 0. */
  public static final String TX = "cachelens$tx";

  /** Ring index of the oldest command awaiting completion. */
  public static final String HEAD = "cachelens$head";

  /** How many commands the ring holds. */
  public static final String COUNT = "cachelens$count";

  /** How many of the oldest ring entries are transaction commands whose QUEUED reply was read. */
  public static final String DEFERRED = "cachelens$deferred";

  /** Ring: the {@code CommandArguments} written. */
  public static final String COMMANDS = "cachelens$commands";

  /** Ring: the error of a deferred transaction command's QUEUED reply, or null. */
  public static final String ERRORS = "cachelens$errors";

  /** Ring: {@link System#nanoTime()} when each command was written. */
  public static final String STARTS = "cachelens$starts";

  /** Ring: {@link io.cachelens.instrumentation.api.CommandFlags} plus {@link #TX_END}. */
  public static final String FLAGS = "cachelens$flags";

  /** Private ring flag: the EXEC or DISCARD that ends a transaction. */
  public static final int TX_END = 1 << 16;

  /** The ring flag bits that are {@link io.cachelens.instrumentation.api.CommandFlags}. */
  public static final int PUBLIC_FLAGS = 0xFFFF;

  /** Ring capacity when a connection writes its first command; a power of two. */
  public static final int INITIAL_CAPACITY = 8;

  /** A ring grown past this capacity (a large pipeline) is dropped once it drains. */
  public static final int MAX_RETAINED_CAPACITY = 1024;

  private JedisState() {}
}
