package io.cachelens.analysis.command;

import java.util.Set;

/**
 * Immutable facts about one Redis command (or one subcommand of a container such as {@code CLIENT
 * SETNAME}), as handed out by a {@link CommandCatalog}.
 *
 * <h2>Argument indexes</h2>
 *
 * <p>All indexes count arguments as {@link ArgumentAccess} does: 0 is the first argument after the
 * command's first word. For a subcommand info, argument 0 is therefore the subcommand itself and
 * {@code OBJECT ENCODING key} has its key at 1.
 *
 * <h2>Key positions</h2>
 *
 * <p>{@link #firstKeyIndex()}, {@link #lastKeyIndex()} and {@link #keyStep()} follow Redis {@code
 * COMMAND}'s first/last/step: keys sit at {@code first, first + step, ...} up to {@code last}, and
 * a negative {@code last} counts from the end ({@code -1} is the last argument). So {@code GET} is
 * (0, 0, 1), {@code DEL} (0, -1, 1), {@code MSET} (0, -1, 2), {@code BLPOP} (0, -2, 1). Some
 * commands have keys whose positions depend on argument values ({@link #movableKeys()}): {@code
 * EVAL script numkeys key...} and the other commands with a key count at {@link #keyCountIndex()},
 * {@code XREAD ... STREAMS key... id...}, {@code SORT ... STORE destination}, {@code MIGRATE ...
 * KEYS key...}. For those the triple describes the usual form ({@code EVAL}: (2, 2, 1), assuming at
 * least one key; {@code XREAD}: none, since options come first) and {@link #isKey} and {@link
 * #firstKeyIndex(ArgumentAccess, Object)} give the exact answer for one command.
 */
public final class CommandInfo {

  /** How the positions of a command's keys are found. */
  enum KeyLayout {
    NONE,
    FIXED,
    COUNTED,
    STREAMS,
    STORE_OPTION,
    MIGRATE
  }

  /** How the catalog decides a command's {@link TtlOutcome}. */
  enum TtlRule {
    FIXED,
    SET_OPTIONS,
    GETEX_OPTIONS,
    RESTORE_TTL,
    STORE_OPTION,
    EXPIRE_TIME
  }

  /** How the catalog tells from a write's reply whether it changed anything. */
  enum ReplyRule {
    /** Every successful write is applied. */
    ALWAYS,
    /** Integer 0 (or false): nothing done (SETNX, MSETNX, HSETNX, EXPIRE, PERSIST, SMOVE...). */
    ZERO_IF_SKIPPED,
    /** A nil reply: nothing done (GETEX on a missing key, LMOVE from an empty list...). */
    NIL_IF_SKIPPED,
    /** SET's NX, XX and IFEQ-style conditions, read with its GET option. */
    SET_CONDITIONS
  }

  private static final byte[] STREAMS = Ascii.bytes("STREAMS");
  private static final byte[] GROUP = Ascii.bytes("GROUP");
  private static final int GROUP_ARGUMENTS = 3;
  private static final byte[] STORE = Ascii.bytes("STORE");
  private static final byte[] STOREDIST = Ascii.bytes("STOREDIST");
  private static final byte[] KEYS = Ascii.bytes("KEYS");
  private static final int MIGRATE_KEY_INDEX = 2;
  private static final int MIGRATE_OPTIONS_INDEX = 5;

  // Writes that replace the whole value, and with it any expiry; every other write without TTL
  // (HSET, INCR, LPUSH, SADD, APPEND...) changes the value in place and keeps the key's expiry.
  private static final Set<String> VALUE_REPLACING =
      Set.of(
          "SET",
          "MSET",
          "MSETNX",
          "GETSET",
          "SETNX",
          "PERSIST",
          "GETEX",
          "RESTORE",
          "SUNIONSTORE",
          "SINTERSTORE",
          "SDIFFSTORE",
          "ZUNIONSTORE",
          "ZINTERSTORE",
          "ZDIFFSTORE",
          "ZRANGESTORE",
          "BITOP",
          "SORT",
          "GEORADIUS",
          "GEORADIUSBYMEMBER",
          "GEOSEARCHSTORE");

  // Writes that remove their keys whatever their arguments (DELIFEQ only when its reply is 1).
  private static final Set<String> KEY_DELETING = Set.of("DEL", "UNLINK", "GETDEL", "DELIFEQ");

  private static final Set<String> EXPIRE_FAMILY =
      Set.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT");

  private final String name;
  private final int id;
  private final CommandKind kind;
  private final KeyLayout layout;
  // Keys at fixed positions; fixedFirst is -1 when there are none.
  private final int fixedFirst;
  private final int fixedLast;
  private final int fixedStep;
  private final int keyCountIndex;
  private final int optionIndex;
  private final boolean handshake;
  private final boolean redactArguments;
  private final boolean dangerous;
  private final boolean hasSubcommand;
  private final TtlRule ttlRule;
  private final TtlOutcome ttlOutcome;
  private final ReplyRule replyRule;
  private final byte[][] subcommandNames;
  private final CommandInfo[] subcommands;
  // Decided once from the name, since the audit asks them for every write.
  private final boolean replacesValue;
  private final boolean deletesKeys;
  private final boolean expireFamily;

  CommandInfo(Definition definition, int id, byte[][] subcommandNames, CommandInfo[] subcommands) {
    this.name = definition.name;
    this.id = id;
    this.kind = definition.kind;
    this.layout = definition.layout;
    this.fixedFirst = definition.fixedFirst;
    this.fixedLast = definition.fixedLast;
    this.fixedStep = definition.fixedStep;
    this.keyCountIndex = definition.keyCountIndex;
    this.optionIndex = definition.optionIndex;
    this.handshake = definition.handshake;
    this.redactArguments = definition.redactArguments;
    this.dangerous = definition.dangerous;
    this.hasSubcommand = definition.hasSubcommand;
    this.ttlRule = definition.ttlRule;
    this.ttlOutcome = definition.ttlOutcome;
    this.replyRule = definition.replyRule;
    this.subcommandNames = subcommandNames;
    this.subcommands = subcommands;
    this.replacesValue = VALUE_REPLACING.contains(name);
    this.deletesKeys = KEY_DELETING.contains(name);
    this.expireFamily = EXPIRE_FAMILY.contains(name);
  }

  /**
   * The upper-case name; for a subcommand it includes the subcommand ({@code CONFIG SET}); {@code
   * <other>} for the info unknown names share once the catalog's bound is reached.
   */
  public String name() {
    return name;
  }

  /** A dense small id, unique within the catalog and stable for the life of the process. */
  public int id() {
    return id;
  }

  /** What the command does. */
  public CommandKind kind() {
    return kind;
  }

  /** Whether the command reads keyspace data without changing it. */
  public boolean isRead() {
    return kind == CommandKind.READ;
  }

  /** Whether the command changes keyspace data. */
  public boolean isWrite() {
    return kind == CommandKind.WRITE;
  }

  /**
   * The argument index of the first key in the command's usual form, or -1 when it has no key
   * ({@code PING}, {@code INFO}, {@code KEYS} whose argument is a pattern) or the position depends
   * on options ({@code XREAD}).
   */
  public int firstKeyIndex() {
    if (fixedFirst >= 0) {
      return fixedFirst;
    }
    if (layout == KeyLayout.COUNTED) {
      return keyCountIndex + 1;
    }
    if (layout == KeyLayout.MIGRATE) {
      return MIGRATE_KEY_INDEX;
    }
    return -1;
  }

  /**
   * The index of the last key in the usual form; negative values count from the end ({@code -1} is
   * the last argument). Meaningless when {@link #firstKeyIndex()} is -1.
   */
  public int lastKeyIndex() {
    if (fixedFirst >= 0) {
      return fixedLast;
    }
    return firstKeyIndex();
  }

  /** The distance between keys in the usual form ({@code MSET}: 2), 0 when there are no keys. */
  public int keyStep() {
    if (fixedFirst >= 0) {
      return fixedStep;
    }
    return firstKeyIndex() >= 0 ? 1 : 0;
  }

  /**
   * The index of the argument holding the number of keys that follow it ({@code EVAL}: 1, {@code
   * ZUNIONSTORE}: 1, {@code LMPOP}: 0), or -1.
   */
  public int keyCountIndex() {
    return keyCountIndex;
  }

  /** Whether key positions depend on argument values; then use {@link #isKey}. */
  public boolean movableKeys() {
    return layout == KeyLayout.COUNTED
        || layout == KeyLayout.STREAMS
        || layout == KeyLayout.STORE_OPTION
        || layout == KeyLayout.MIGRATE;
  }

  /**
   * Whether argument {@code index} of {@code command} is a key, reading key counts and keywords
   * where needed. Never throws: unreadable arguments make the answer false (a key is then shown as
   * {@code ?}, never the other way round).
   */
  public <C> boolean isKey(ArgumentAccess<C> access, C command, int index) {
    if (index < 0 || layout == KeyLayout.NONE || access == null) {
      return false;
    }
    try {
      int count = access.count(command);
      if (index >= count) {
        return false;
      }
      if (isFixedKey(index, count)) {
        return true;
      }
      switch (layout) {
        case COUNTED:
          {
            int keys = Ascii.parseCount(access.argument(command, keyCountIndex));
            return index > keyCountIndex && index <= (long) keyCountIndex + keys;
          }
        case STREAMS:
          {
            // XREADGROUP's group and consumer names come first and may spell anything.
            int from =
                Ascii.equalsKeyword(access.argument(command, 0), GROUP) ? GROUP_ARGUMENTS : 0;
            int streams = indexOfKeyword(access, command, STREAMS, from, count);
            return streams >= 0 && index > streams && index <= streams + (count - streams - 1) / 2;
          }
        case STORE_OPTION:
          {
            if (index - 1 < Math.max(optionIndex, 1)) {
              return false;
            }
            byte[] previous = access.argument(command, index - 1);
            return Ascii.equalsKeyword(previous, STORE) || Ascii.equalsKeyword(previous, STOREDIST);
          }
        case MIGRATE:
          {
            if (index == MIGRATE_KEY_INDEX) {
              byte[] key = access.argument(command, index);
              return key != null && key.length > 0;
            }
            int keys = indexOfKeyword(access, command, KEYS, MIGRATE_OPTIONS_INDEX, count);
            return keys >= 0 && index > keys;
          }
        default:
          return false;
      }
    } catch (RuntimeException e) {
      // A misbehaving ArgumentAccess must not break the application's Redis call.
      return false;
    }
  }

  /**
   * The index of the first key of {@code command}, resolving {@link #movableKeys() movable keys};
   * -1 when it has none. Never throws.
   */
  public <C> int firstKeyIndex(ArgumentAccess<C> access, C command) {
    if (!movableKeys()) {
      return firstKeyIndex();
    }
    if (fixedFirst >= 0) {
      return fixedFirst;
    }
    if (access == null) {
      return -1;
    }
    int count;
    try {
      count = access.count(command);
    } catch (RuntimeException e) {
      return -1;
    }
    for (int i = 0; i < count; i++) {
      if (isKey(access, command, i)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index from which arguments may be option keywords ({@code SET}: 2, where {@code EX}, {@code
   * NX}, {@code KEEPTTL}... start), or -1 when the command takes no keyword options. Arguments
   * before it are values even if they spell a keyword.
   */
  public int optionIndex() {
    return optionIndex;
  }

  /**
   * Whether a client sends this on its own behalf when it connects: {@code AUTH}, {@code HELLO},
   * {@code CLIENT SETNAME}, {@code CLIENT SETINFO}.
   */
  public boolean handshake() {
    return handshake;
  }

  /**
   * Whether argument values may be credentials and must never be recorded: {@code AUTH}, {@code
   * HELLO}, {@code MIGRATE} (its {@code AUTH}/{@code AUTH2} options), {@code CONFIG SET} ({@code
   * requirepass}, {@code masterauth}), {@code ACL SETUSER}, {@code SENTINEL SET}, and unknown
   * subcommands of {@code CONFIG}, {@code ACL} and {@code SENTINEL}.
   */
  public boolean redactArguments() {
    return redactArguments;
  }

  /**
   * Whether the command can stall, wipe or reconfigure a server: {@code KEYS}, {@code FLUSHALL},
   * {@code FLUSHDB}, {@code DEBUG}, {@code SAVE}, {@code MONITOR}, {@code CONFIG SET}, {@code
   * SHUTDOWN}, {@code CLIENT KILL}, {@code CLUSTER RESET}...
   */
  public boolean dangerous() {
    return dangerous;
  }

  /**
   * Whether a write replaces the whole value, and with it any expiry the key had ({@code SET},
   * {@code MSET}, {@code GETSET}, {@code SETNX}, {@code PERSIST}, {@code GETEX}, {@code RESTORE},
   * the {@code *STORE} commands, {@code BITOP}, {@code SORT}...); other writes change the value in
   * place and keep the expiry.
   */
  public boolean replacesValue() {
    return replacesValue;
  }

  /**
   * Whether a successful write removes its keys whatever its arguments: {@code DEL}, {@code
   * UNLINK}, {@code GETDEL}, {@code DELIFEQ} (which succeeds only when it deletes).
   */
  public boolean deletesKeys() {
    return deletesKeys;
  }

  /**
   * Whether the command is one of {@code EXPIRE}, {@code PEXPIRE}, {@code EXPIREAT}, {@code
   * PEXPIREAT}.
   */
  public boolean expireFamily() {
    return expireFamily;
  }

  /** Whether {@link #name()} includes a subcommand, which is then argument 0. */
  public boolean hasSubcommand() {
    return hasSubcommand;
  }

  /**
   * Whether argument 0 names a subcommand that {@link CommandCatalog#lookup(String, byte[])}
   * resolves ({@code CLIENT}, {@code CONFIG}, {@code XGROUP}...).
   */
  public boolean isContainer() {
    return subcommands != null;
  }

  @Override
  public String toString() {
    return name;
  }

  TtlRule ttlRule() {
    return ttlRule;
  }

  /** The outcome when the rule is {@link TtlRule#FIXED}, else the one when no option decides. */
  TtlOutcome ttlOutcome() {
    return ttlOutcome;
  }

  ReplyRule replyRule() {
    return replyRule;
  }

  /**
   * Whether the reply can say that this write changed nothing (SETNX, SET NX, EXPIRE...): only then
   * is the reply worth reading for {@link CommandCatalog#writeApplied}.
   */
  public boolean conditional() {
    return replyRule != ReplyRule.ALWAYS;
  }

  /** The subcommand info whose name matches {@code subcommand} case-insensitively, or null. */
  CommandInfo subcommand(byte[] subcommand) {
    if (subcommands == null || subcommand == null) {
      return null;
    }
    for (int i = 0; i < subcommandNames.length; i++) {
      if (Ascii.equalsKeyword(subcommand, subcommandNames[i])) {
        return subcommands[i];
      }
    }
    return null;
  }

  private boolean isFixedKey(int index, int count) {
    if (fixedFirst < 0 || index < fixedFirst) {
      return false;
    }
    int last = fixedLast < 0 ? count + fixedLast : fixedLast;
    return index <= last && (index - fixedFirst) % fixedStep == 0;
  }

  private static <C> int indexOfKeyword(
      ArgumentAccess<C> access, C command, byte[] keyword, int from, int count) {
    for (int i = from; i < count; i++) {
      if (Ascii.equalsKeyword(access.argument(command, i), keyword)) {
        return i;
      }
    }
    return -1;
  }

  /** The mutable description the catalog's table is written in; turned into a CommandInfo. */
  static final class Definition {
    String name;
    final CommandKind kind;
    KeyLayout layout = KeyLayout.NONE;
    int fixedFirst = -1;
    int fixedLast = -1;
    int fixedStep = 0;
    int keyCountIndex = -1;
    int optionIndex = -1;
    boolean handshake;
    boolean redactArguments;
    boolean dangerous;
    boolean hasSubcommand;
    TtlRule ttlRule = TtlRule.FIXED;
    TtlOutcome ttlOutcome;
    ReplyRule replyRule = ReplyRule.ALWAYS;
    Definition[] subcommands;

    Definition(String name, CommandKind kind, TtlOutcome ttlOutcome) {
      this.name = name;
      this.kind = kind;
      this.ttlOutcome = ttlOutcome;
    }

    /** One key, at argument 0. */
    Definition key() {
      return keys(0, 0, 1);
    }

    /** One key, at argument {@code index}. */
    Definition keyAt(int index) {
      return keys(index, index, 1);
    }

    /** Keys at fixed positions, Redis COMMAND style; a negative last counts from the end. */
    Definition keys(int first, int last, int step) {
      if (layout == KeyLayout.NONE) {
        layout = KeyLayout.FIXED;
      }
      fixedFirst = first;
      fixedLast = last;
      fixedStep = step;
      return this;
    }

    /** The argument at {@code index} counts the keys that follow it. */
    Definition counted(int index) {
      layout = KeyLayout.COUNTED;
      keyCountIndex = index;
      return this;
    }

    /** Keys are the first half of the arguments after {@code STREAMS}. */
    Definition streams() {
      layout = KeyLayout.STREAMS;
      return this;
    }

    /** The argument after a {@code STORE} or {@code STOREDIST} option is a key too. */
    Definition storeOption() {
      layout = KeyLayout.STORE_OPTION;
      return this;
    }

    /** {@code MIGRATE host port key|"" db timeout [...] [KEYS key...]}. */
    Definition migrate() {
      layout = KeyLayout.MIGRATE;
      return this;
    }

    Definition options(int index) {
      optionIndex = index;
      return this;
    }

    Definition handshake() {
      handshake = true;
      return this;
    }

    Definition redact() {
      redactArguments = true;
      return this;
    }

    Definition dangerous() {
      dangerous = true;
      return this;
    }

    Definition ttl(TtlRule rule) {
      ttlRule = rule;
      return this;
    }

    Definition applied(ReplyRule rule) {
      replyRule = rule;
      return this;
    }
  }
}
