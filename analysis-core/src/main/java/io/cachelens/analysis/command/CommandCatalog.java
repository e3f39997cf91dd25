package io.cachelens.analysis.command;

import io.cachelens.analysis.command.CommandInfo.Definition;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Looks up {@link CommandInfo} by command name and decides what a write does to a key's TTL;
 * thread-safe.
 *
 * <p>The built-in table covers the commands of Redis 7.x/8.0 and Valkey 8 (strings, bitmaps, hashes
 * with field expiry, lists, sets, sorted sets, streams, HyperLogLog, geo, keys, connection, server,
 * scripting and functions, pub/sub, transactions, cluster, sentinel), with container commands
 * ({@code CLIENT}, {@code CONFIG}, {@code OBJECT}, {@code XGROUP}...) resolved per subcommand.
 * Names the table does not know get an info of kind {@link CommandKind#OTHER}, created once and
 * cached; after {@link #MAX_UNKNOWN_COMMANDS} of them, further unknown names share one {@code
 * <other>} info so that memory and metric cardinality stay bounded.
 */
public final class CommandCatalog {

  /** How many unknown command names get an info of their own. */
  public static final int MAX_UNKNOWN_COMMANDS = 512;

  private static final int MAX_UNKNOWN_NAME_LENGTH = 64;
  private static final String OTHER_NAME = "<other>";
  // Options of SET, GETEX, SORT... fit well within this; it bounds work on odd commands.
  private static final int MAX_OPTIONS_SCANNED = 32;

  private static final byte[] EX = Ascii.bytes("EX");
  private static final byte[] PX = Ascii.bytes("PX");
  private static final byte[] EXAT = Ascii.bytes("EXAT");
  private static final byte[] PXAT = Ascii.bytes("PXAT");
  private static final byte[] KEEPTTL = Ascii.bytes("KEEPTTL");
  private static final byte[] PERSIST = Ascii.bytes("PERSIST");
  private static final byte[] STORE = Ascii.bytes("STORE");
  private static final byte[] STOREDIST = Ascii.bytes("STOREDIST");
  // SET's compare-and-set options (Valkey 8.1 IFEQ, Redis 8.4 IFEQ/IFNE/IFDEQ/IFDNE) take a value.
  private static final byte[] IFEQ = Ascii.bytes("IFEQ");
  private static final byte[] IFNE = Ascii.bytes("IFNE");
  private static final byte[] IFDEQ = Ascii.bytes("IFDEQ");
  private static final byte[] IFDNE = Ascii.bytes("IFDNE");
  private static final byte[] NX = Ascii.bytes("NX");
  private static final byte[] XX = Ascii.bytes("XX");
  private static final byte[] GET = Ascii.bytes("GET");
  // The reply to every command queued inside MULTI; the real reply comes with EXEC.
  private static final String QUEUED_TEXT = "QUEUED";
  private static final byte[] QUEUED = Ascii.bytes(QUEUED_TEXT);

  /**
   * The reply to pass to {@link #writeApplied} when the client did not hand the reply over (the
   * write then counts as applied); {@code null} is a nil reply.
   */
  public static final Object REPLY_UNKNOWN = new Object();

  // Tells ttlOutcome to read System.currentTimeMillis() only when an EXPIREAT needs it.
  private static final long READ_THE_CLOCK = Long.MIN_VALUE;

  private static final CommandCatalog STANDARD = createStandard();

  private final Map<String, CommandInfo> builtIn;
  private final int builtInCount;
  private final CommandInfo other;
  private final AtomicReferenceArray<CommandInfo> byId;
  private final Map<String, CommandInfo> unknown = new ConcurrentHashMap<>();
  private final Object unknownLock = new Object();
  private int unknownCount; // guarded by unknownLock

  private CommandCatalog(List<Definition> definitions) {
    Map<String, CommandInfo> infos = new HashMap<>();
    int nextId = 0;
    for (Definition definition : definitions) {
      nextId = add(definition, nextId, infos);
    }
    this.builtIn = infos;
    this.builtInCount = nextId;
    this.other =
        new CommandInfo(
            new Definition(OTHER_NAME, CommandKind.OTHER, TtlOutcome.NOT_A_WRITE),
            builtInCount,
            null,
            null);
    this.byId = new AtomicReferenceArray<>(builtInCount + 1 + MAX_UNKNOWN_COMMANDS);
    for (CommandInfo info : infos.values()) {
      byId.set(info.id(), info);
    }
    byId.set(other.id(), other);
  }

  /** The shared catalog with the built-in command table. */
  public static CommandCatalog standard() {
    return STANDARD;
  }

  /** A new catalog with the built-in table and no unknown names yet; for tests. */
  static CommandCatalog createStandard() {
    return new CommandCatalog(StandardCommands.definitions());
  }

  /**
   * The info for a command name, case-insensitively; never null. A name may include a subcommand
   * ({@code "CLIENT SETNAME"}). A container name alone ({@code "CLIENT"}) gives the container's
   * generic info; see {@link #lookup(String, byte[])}.
   */
  public CommandInfo lookup(String name) {
    if (name == null) {
      return other;
    }
    CommandInfo info = builtIn.get(name);
    if (info == null) {
      info = unknown.get(name);
    }
    if (info != null) {
      return info;
    }
    String upperCase = name.trim().toUpperCase(Locale.ROOT);
    info = builtIn.get(upperCase);
    if (info == null) {
      info = unknown.get(upperCase);
    }
    return info != null ? info : registerUnknown(upperCase);
  }

  /**
   * The info for a container command's subcommand ({@code "CLIENT"} and {@code SETNAME} give {@code
   * CLIENT SETNAME}); the subcommand is compared case-insensitively without allocating. For a name
   * that is not a container, or a subcommand the table does not know (or null), this is {@link
   * #lookup(String)}.
   */
  public CommandInfo lookup(String name, byte[] subcommand) {
    CommandInfo info = lookup(name);
    CommandInfo resolved = info.subcommand(subcommand);
    return resolved != null ? resolved : info;
  }

  /** The info with this id; the shared {@code <other>} info for ids never handed out. */
  public CommandInfo byId(int id) {
    if (id < 0 || id >= byId.length()) {
      return other;
    }
    CommandInfo info = byId.get(id);
    return info != null ? info : other;
  }

  /** An exclusive upper bound of every id this catalog can hand out, for sizing arrays by id. */
  public int idBound() {
    return byId.length();
  }

  /**
   * What {@code command} does to the TTL of the key it writes. Reads the options where they matter
   * ({@code SET}, {@code GETEX}, {@code RESTORE}'s ttl, {@code SORT}/{@code GEORADIUS}'s {@code
   * STORE}, the time of {@code EXPIRE}, {@code PEXPIRE}, {@code EXPIREAT}, {@code PEXPIREAT})
   * comparing bytes in place, without allocating; the outcome is fixed for every other command.
   * Never throws: unreadable arguments count as absent.
   *
   * <p>An {@code EXPIRE}-family command whose time is not in the future (zero, negative, or an
   * absolute time already past, compared with {@link System#currentTimeMillis()}) deletes the key
   * in Redis: like {@code DEL} it is {@link TtlOutcome#KEPT}, not a write that sets a TTL.
   */
  public <C> TtlOutcome ttlOutcome(CommandInfo info, ArgumentAccess<C> access, C command) {
    return ttlOutcome(info, access, command, READ_THE_CLOCK);
  }

  /**
   * {@link #ttlOutcome(CommandInfo, ArgumentAccess, Object)} with the wall-clock time, in Unix
   * milliseconds, that {@code EXPIREAT} and {@code PEXPIREAT} times are compared with.
   */
  public <C> TtlOutcome ttlOutcome(
      CommandInfo info, ArgumentAccess<C> access, C command, long nowMillis) {
    if (info == null) {
      return TtlOutcome.NOT_A_WRITE;
    }
    TtlOutcome fallback = info.ttlOutcome();
    if (info.ttlRule() == CommandInfo.TtlRule.FIXED || access == null) {
      return fallback;
    }
    try {
      switch (info.ttlRule()) {
        case SET_OPTIONS:
          return setOutcome(access, command);
        case GETEX_OPTIONS:
          return getexOutcome(access, command);
        case RESTORE_TTL:
          return Ascii.signOf(access.argument(command, 1)) > 0 ? TtlOutcome.SET : TtlOutcome.NONE;
        case STORE_OPTION:
          return storeOutcome(info, access, command);
        case EXPIRE_TIME:
          long now = nowMillis == READ_THE_CLOCK ? System.currentTimeMillis() : nowMillis;
          return expiryMillis(info, access.argument(command, 1), now) == 0
              ? TtlOutcome.KEPT
              : TtlOutcome.SET;
        default:
          return fallback;
      }
    } catch (RuntimeException e) {
      // A misbehaving ArgumentAccess must not break the application's Redis call.
      return fallback;
    }
  }

  /**
   * The expiry an {@code EXPIRE}, {@code PEXPIRE}, {@code EXPIREAT} or {@code PEXPIREAT} asks for,
   * in milliseconds from {@code nowMillis} (Unix milliseconds, what absolute times are compared
   * with): 0 when the time is zero, negative or already past, which deletes the key; -1 when the
   * argument is not a decimal integer of at most 18 digits (optionally negative) or the command is
   * not one of the four. Durations too long for a {@code long} of milliseconds saturate.
   */
  public static long expiryMillis(CommandInfo command, byte[] argument, long nowMillis) {
    if (command == null || command.ttlRule() != CommandInfo.TtlRule.EXPIRE_TIME) {
      return -1;
    }
    if (argument == null || argument.length == 0) {
      return -1;
    }
    boolean negative = argument[0] == '-';
    int start = negative ? 1 : 0;
    int digits = argument.length - start;
    if (digits == 0 || digits > 18) {
      return -1;
    }
    long value = 0;
    for (int i = start; i < argument.length; i++) {
      byte digit = argument[i];
      if (digit < '0' || digit > '9') {
        return -1;
      }
      value = value * 10 + (digit - '0');
    }
    if (negative || value == 0) {
      return 0;
    }
    String name = command.name();
    boolean millis = name.startsWith("PEXPIRE");
    long requested = millis ? value : saturatingTimes1000(value);
    if (name.endsWith("AT")) {
      return requested <= nowMillis ? 0 : requested - nowMillis;
    }
    return requested;
  }

  private static long saturatingTimes1000(long value) {
    return value > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : value * 1000;
  }

  /**
   * Whether a write that succeeded (no error reply) changed anything, as its reply tells: false for
   * a conditional write that found its condition unmet and wrote nothing. Such a write neither
   * leaves a key without TTL nor gives one a TTL; count it in {@code writes} only ({@link
   * TtlOutcome#KEPT}) and do not pair it with other writes of its key.
   *
   * <ul>
   *   <li>{@code SETNX}, {@code MSETNX}, {@code HSETNX}, {@code EXPIRE}, {@code PEXPIRE}, {@code
   *       EXPIREAT}, {@code PEXPIREAT}, {@code PERSIST}, {@code SMOVE}, {@code DELIFEQ}: not
   *       applied when the reply is integer 0 (a {@link Number} equal to 0, or {@link
   *       Boolean#FALSE} as Lettuce decodes it);
   *   <li>{@code GETEX}, {@code LMOVE}, {@code BLMOVE}, {@code RPOPLPUSH}, {@code BRPOPLPUSH}: not
   *       applied when the reply is nil ({@code null}): the key was missing or empty;
   *   <li>{@code SET} with {@code NX}, {@code XX}, {@code IFEQ}, {@code IFNE}, {@code IFDEQ} or
   *       {@code IFDNE}: without {@code GET}, not applied when the reply is nil (instead of {@code
   *       OK}); with {@code GET} the reply is the old value, so {@code NX} was not applied when it
   *       is not nil and {@code XX} when it is nil ({@code IF*} with {@code GET} cannot be told and
   *       counts as applied);
   *   <li>every other write is applied.
   * </ul>
   *
   * <p>Errs towards "applied", which keeps today's counting: a reply of a type it does not know,
   * {@code QUEUED} (the reply inside MULTI), and {@link #REPLY_UNKNOWN}. Pass {@link
   * #REPLY_UNKNOWN}, never {@code null}, when the client did not hand the reply over: {@code null}
   * means a nil reply. Never throws; reads the arguments in place without allocating.
   *
   * @param reply the reply as the client decoded it: {@link Long} (Jedis) or {@link Boolean}
   *     (Lettuce) for integer replies, {@code byte[]} or {@link CharSequence} for status and bulk
   *     replies, {@code null} for nil
   */
  public <C> boolean writeApplied(
      CommandInfo info, ArgumentAccess<C> access, C command, Object reply) {
    if (info == null || reply == REPLY_UNKNOWN || isQueued(reply)) {
      return true;
    }
    try {
      switch (info.replyRule()) {
        case ZERO_IF_SKIPPED:
          return !isZeroOrFalse(reply);
        case NIL_IF_SKIPPED:
          return reply != null;
        case SET_CONDITIONS:
          return access == null || setApplied(access, command, reply);
        default:
          return true;
      }
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** {@code SET key value [NX|XX] [IFEQ v] [GET] ...}: whether the reply says it was set. */
  private static <C> boolean setApplied(ArgumentAccess<C> access, C command, Object reply) {
    boolean nx = false;
    boolean xx = false;
    boolean compare = false;
    boolean get = false;
    int end = Math.min(access.count(command), 2 + MAX_OPTIONS_SCANNED);
    for (int i = 2; i < end; i++) {
      byte[] option = access.argument(command, i);
      if (Ascii.equalsKeyword(option, NX)) {
        nx = true;
      } else if (Ascii.equalsKeyword(option, XX)) {
        xx = true;
      } else if (Ascii.equalsKeyword(option, GET)) {
        get = true;
      } else if (Ascii.equalsKeyword(option, IFEQ)
          || Ascii.equalsKeyword(option, IFNE)
          || Ascii.equalsKeyword(option, IFDEQ)
          || Ascii.equalsKeyword(option, IFDNE)) {
        compare = true;
        i++; // the comparison value may spell anything, even NX
      } else if (isExpiryOption(option)) {
        i++; // its time
      }
    }
    if (!get) {
      return !(nx || xx || compare) || reply != null;
    }
    if (compare) {
      return true;
    }
    if (nx) {
      return reply == null;
    }
    if (xx) {
      return reply != null;
    }
    return true;
  }

  private static boolean isZeroOrFalse(Object reply) {
    if (reply instanceof Boolean flag) {
      return !flag;
    }
    if (reply instanceof Long || reply instanceof Integer || reply instanceof Short) {
      return ((Number) reply).longValue() == 0;
    }
    return false;
  }

  private static boolean isQueued(Object reply) {
    if (reply instanceof byte[] bytes) {
      return Ascii.equalsKeyword(bytes, QUEUED);
    }
    return reply instanceof CharSequence text && QUEUED_TEXT.contentEquals(text);
  }

  /** {@code SET key value [NX|XX] [IFEQ v] [GET] [EX s|PX ms|EXAT t|PXAT t|KEEPTTL]}. */
  private static <C> TtlOutcome setOutcome(ArgumentAccess<C> access, C command) {
    int end = Math.min(access.count(command), 2 + MAX_OPTIONS_SCANNED);
    for (int i = 2; i < end; i++) {
      byte[] option = access.argument(command, i);
      if (isExpiryOption(option)) {
        return TtlOutcome.SET;
      }
      if (Ascii.equalsKeyword(option, KEEPTTL)) {
        return TtlOutcome.KEPT;
      }
      if (Ascii.equalsKeyword(option, IFEQ)
          || Ascii.equalsKeyword(option, IFNE)
          || Ascii.equalsKeyword(option, IFDEQ)
          || Ascii.equalsKeyword(option, IFDNE)) {
        i++; // the comparison value may spell anything, even EX
      }
    }
    return TtlOutcome.NONE;
  }

  /** {@code GETEX key [EX s|PX ms|EXAT t|PXAT t|PERSIST]}. */
  private static <C> TtlOutcome getexOutcome(ArgumentAccess<C> access, C command) {
    int end = Math.min(access.count(command), 1 + MAX_OPTIONS_SCANNED);
    for (int i = 1; i < end; i++) {
      byte[] option = access.argument(command, i);
      if (isExpiryOption(option)) {
        return TtlOutcome.SET;
      }
      if (Ascii.equalsKeyword(option, PERSIST)) {
        return TtlOutcome.NONE;
      }
    }
    return TtlOutcome.KEPT;
  }

  /** {@code SORT ... STORE destination}, {@code GEORADIUS ... STORE|STOREDIST destination}. */
  private static <C> TtlOutcome storeOutcome(
      CommandInfo info, ArgumentAccess<C> access, C command) {
    int from = Math.max(info.optionIndex(), 1);
    int end = Math.min(access.count(command), from + MAX_OPTIONS_SCANNED);
    for (int i = from; i < end; i++) {
      byte[] option = access.argument(command, i);
      if (Ascii.equalsKeyword(option, STORE) || Ascii.equalsKeyword(option, STOREDIST)) {
        return TtlOutcome.NONE;
      }
    }
    return TtlOutcome.NOT_A_WRITE;
  }

  private static boolean isExpiryOption(byte[] option) {
    return Ascii.equalsKeyword(option, EX)
        || Ascii.equalsKeyword(option, PX)
        || Ascii.equalsKeyword(option, EXAT)
        || Ascii.equalsKeyword(option, PXAT);
  }

  private CommandInfo registerUnknown(String upperCaseName) {
    if (!isPlausibleName(upperCaseName)) {
      return other;
    }
    synchronized (unknownLock) {
      CommandInfo info = unknown.get(upperCaseName);
      if (info != null) {
        return info;
      }
      if (unknownCount >= MAX_UNKNOWN_COMMANDS) {
        return other;
      }
      info =
          new CommandInfo(
              new Definition(upperCaseName, CommandKind.OTHER, TtlOutcome.NOT_A_WRITE),
              builtInCount + 1 + unknownCount,
              null,
              null);
      byId.set(info.id(), info);
      unknown.put(upperCaseName, info);
      unknownCount++;
      return info;
    }
  }

  /** Printable ASCII of sane length: anything else is garbage that must not become a metric. */
  private static boolean isPlausibleName(String name) {
    if (name.isEmpty() || name.length() > MAX_UNKNOWN_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  private static int add(Definition definition, int firstId, Map<String, CommandInfo> infos) {
    Definition[] subcommandDefinitions = definition.subcommands;
    byte[][] subcommandNames = null;
    CommandInfo[] subcommands = null;
    int nextId = firstId + 1;
    if (subcommandDefinitions != null) {
      subcommandNames = new byte[subcommandDefinitions.length][];
      subcommands = new CommandInfo[subcommandDefinitions.length];
      for (int i = 0; i < subcommandDefinitions.length; i++) {
        Definition subcommand = subcommandDefinitions[i];
        subcommands[i] = new CommandInfo(subcommand, nextId++, null, null);
        String fullName = subcommand.name;
        subcommandNames[i] = Ascii.bytes(fullName.substring(fullName.indexOf(' ') + 1));
        put(infos, subcommands[i]);
      }
    }
    put(infos, new CommandInfo(definition, firstId, subcommandNames, subcommands));
    return nextId;
  }

  private static void put(Map<String, CommandInfo> infos, CommandInfo info) {
    if (infos.put(info.name(), info) != null) {
      throw new IllegalStateException("command table lists " + info.name() + " twice");
    }
  }
}
