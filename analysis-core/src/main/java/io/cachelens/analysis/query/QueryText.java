package io.cachelens.analysis.query;

import io.cachelens.analysis.command.ArgumentAccess;
import io.cachelens.analysis.command.CommandInfo;
import java.nio.charset.StandardCharsets;

/**
 * Builds the OpenTelemetry {@code db.query.text} of a Redis command with no data in it.
 *
 * <p>The text is the command name, then one token per argument: keys as {@link KeyRendering}
 * renders them, well-known option keywords of the command ({@code EX}, {@code NX}, {@code KEEPTTL},
 * {@code WITHSCORES}, {@code LIMIT}, {@code COUNT}, {@code MATCH}, {@code TYPE}...) upper-cased,
 * since they are syntax, not data, and {@code ?} for every other value. So {@code SET user:42
 * secret EX 60} becomes {@code SET user:* ? EX ?}. Keywords are only recognised from the command's
 * {@link CommandInfo#optionIndex()} on, so a value in a value position stays {@code ?} even if it
 * spells {@code EX}. Commands that carry credentials ({@link CommandInfo#redactArguments()}: {@code
 * AUTH}, {@code HELLO}, {@code MIGRATE}, {@code CONFIG SET}...) are reduced to their name. At most
 * {@value #MAX_ARGUMENTS} arguments and about {@value #MAX_LENGTH} characters are written; a cut
 * text ends in {@code …}.
 */
public final class QueryText {

  /** How many arguments are written before the text ends in {@code …}. */
  public static final int MAX_ARGUMENTS = 64;

  /** Texts longer than this many characters are cut and end in {@code …}. */
  public static final int MAX_LENGTH = 2048;

  private static final String ELLIPSIS = "…";
  private static final String UNKNOWN_COMMAND = "<other>";
  private static final String VALUE = "?";

  /** Option keywords that are syntax in some command; argument values never show otherwise. */
  private static final String[] KEYWORDS = {
    // expiry and conditions
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "KEEPTTL",
    "PERSIST",
    "NX",
    "XX",
    "GT",
    "LT",
    "CH",
    "INCR",
    "GET",
    "IFEQ",
    "IFNE",
    "IFDEQ",
    "IFDNE",
    "FNX",
    "FXX",
    "FIELDS",
    // ranges, scans and sorting
    "WITHSCORES",
    "WITHSCORE",
    "LIMIT",
    "COUNT",
    "MATCH",
    "TYPE",
    "BYSCORE",
    "BYLEX",
    "REV",
    "STORE",
    "STOREDIST",
    "ASC",
    "DESC",
    "ALPHA",
    "BY",
    "WEIGHTS",
    "AGGREGATE",
    "SUM",
    "MIN",
    "MAX",
    "LEFT",
    "RIGHT",
    "BEFORE",
    "AFTER",
    "RANK",
    "MAXLEN",
    "LEN",
    "IDX",
    "MINMATCHLEN",
    "WITHMATCHLEN",
    "WITHVALUES",
    "NOVALUES",
    "NOSCORES",
    // bitmaps
    "BIT",
    "BYTE",
    "SET",
    "INCRBY",
    "OVERFLOW",
    "WRAP",
    "SAT",
    "FAIL",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "DIFF",
    "DIFF1",
    "ANDOR",
    "ONE",
    // geo
    "WITHCOORD",
    "WITHDIST",
    "WITHHASH",
    "FROMMEMBER",
    "FROMLONLAT",
    "BYRADIUS",
    "BYBOX",
    "ANY",
    "M",
    "KM",
    "FT",
    "MI",
    // streams
    "BLOCK",
    "STREAMS",
    "GROUP",
    "NOACK",
    "MINID",
    "NOMKSTREAM",
    "JUSTID",
    "IDLE",
    "TIME",
    "RETRYCOUNT",
    "FORCE",
    "LASTID",
    "ENTRIESREAD",
    "MKSTREAM",
    "FULL",
    "KEEPREF",
    "DELREF",
    "ACKED",
    "~",
    "=",
    "*",
    // keys
    "REPLACE",
    "ABSTTL",
    "IDLETIME",
    "FREQ",
    "DB",
    "COPY",
    // server, client, cluster, functions
    "ASYNC",
    "SYNC",
    "ON",
    "OFF",
    "SKIP",
    "YES",
    "NO",
    "BCAST",
    "OPTIN",
    "OPTOUT",
    "NOLOOP",
    "PREFIX",
    "REDIRECT",
    "ID",
    "ADDR",
    "LADDR",
    "USER",
    "SKIPME",
    "MAXAGE",
    "WRITE",
    "ALL",
    "NORMAL",
    "MASTER",
    "PRIMARY",
    "REPLICA",
    "SLAVE",
    "PUBSUB",
    "LIB-NAME",
    "LIB-VER",
    "NOSAVE",
    "SAVE",
    "NOW",
    "ABORT",
    "TIMEOUT",
    "TO",
    "FLUSH",
    "APPEND",
    "LIBRARYNAME",
    "WITHCODE",
    "SAMPLES",
    "IMPORTING",
    "MIGRATING",
    "NODE",
    "STABLE",
    "TAKEOVER",
    "HARD",
    "SOFT",
    "RESET",
    "SLOTSRANGE",
    "ORDERBY",
    "CAPA"
  };

  private static final byte[][] KEYWORD_BYTES = new byte[KEYWORDS.length][];

  static {
    for (int i = 0; i < KEYWORDS.length; i++) {
      KEYWORD_BYTES[i] = KEYWORDS[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  private QueryText() {}

  /**
   * The sanitized query text of {@code command}; never throws (a failing {@link ArgumentAccess}
   * cuts the text short with {@code …}).
   *
   * @param info the command's info from the catalog; {@code <other>} is written when null
   * @param access reads {@code command}'s arguments; only the name is written when null
   * @param keys renders key arguments; keys are written as {@code ?} when null
   */
  public static <C> String sanitize(
      CommandInfo info, ArgumentAccess<C> access, C command, KeyRendering keys) {
    if (info == null) {
      return UNKNOWN_COMMAND;
    }
    if (info.redactArguments() || access == null) {
      return info.name();
    }
    StringBuilder text = new StringBuilder(64).append(info.name());
    try {
      int count = access.count(command);
      int first = info.hasSubcommand() ? 1 : 0;
      for (int i = first; i < count; i++) {
        if (i - first == MAX_ARGUMENTS || text.length() >= MAX_LENGTH) {
          text.append(' ').append(ELLIPSIS);
          break;
        }
        text.append(' ');
        byte[] argument = access.argument(command, i);
        if (info.isKey(access, command, i)) {
          text.append(renderKey(keys, argument));
        } else {
          text.append(optionOrValue(info, i, argument));
        }
      }
    } catch (RuntimeException e) {
      text.append(' ').append(ELLIPSIS);
    }
    return cut(text);
  }

  private static String renderKey(KeyRendering keys, byte[] key) {
    if (keys == null || key == null) {
      return VALUE;
    }
    String rendered = keys.render(key);
    return rendered == null ? VALUE : rendered;
  }

  private static String optionOrValue(CommandInfo info, int index, byte[] argument) {
    int optionIndex = info.optionIndex();
    if (optionIndex < 0 || index < optionIndex || argument == null) {
      return VALUE;
    }
    for (int k = 0; k < KEYWORD_BYTES.length; k++) {
      if (equalsIgnoreAsciiCase(argument, KEYWORD_BYTES[k])) {
        return KEYWORDS[k];
      }
    }
    return VALUE;
  }

  private static String cut(StringBuilder text) {
    if (text.length() <= MAX_LENGTH + ELLIPSIS.length() + 1) {
      return text.toString();
    }
    int end = MAX_LENGTH;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    text.setLength(end);
    return text.append(ELLIPSIS).toString();
  }

  private static boolean equalsIgnoreAsciiCase(byte[] argument, byte[] upperCase) {
    if (argument.length != upperCase.length) {
      return false;
    }
    for (int i = 0; i < argument.length; i++) {
      int c = argument[i];
      if (c >= 'a' && c <= 'z') {
        c -= 'a' - 'A';
      }
      if (c != upperCase[i]) {
        return false;
      }
    }
    return true;
  }
}
