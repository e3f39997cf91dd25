package io.cachelens.analysis.prefix;

/**
 * Decides whether one key segment is a name worth keeping or an identifier that becomes {@code *}.
 *
 * <p>All methods work on a byte range, never allocate and never throw for ranges inside the array.
 * See {@link KeyPrefixInferrer} for the rules in prose.
 */
final class SegmentClassifier {

  /** Keep the segment as written. */
  static final int KEEP = -1;

  /** Replace the whole segment with {@code *}. */
  static final int WILDCARD = -2;

  /** Longer segments are data: nobody names a keyspace with this many bytes. */
  static final int MAX_NAME_LENGTH = 128;

  /** Shorter tokens are too ambiguous: {@code v2}, {@code k8s}, {@code x86_64}, {@code utf8}. */
  private static final int MIN_TOKEN_LENGTH = 6;

  /** How many sub-delimiters of one segment are tried as the start of an identifier suffix. */
  private static final int MAX_SUFFIX_CANDIDATES = 8;

  // Letter runs in looksRandom
  private static final int CLASS_OTHER = 0;
  private static final int CLASS_LOWER = 1;
  private static final int CLASS_UPPER = 2;

  // Character classes in classify, as bits
  private static final int LETTER = 1;
  private static final int DIGIT = 2;
  private static final int PUNCTUATION = 4;
  private static final int NOT_TEXT = 8; // control characters and non-ASCII bytes
  private static final int AT_SIGN = 16;

  /** A class bit per byte value, so one pass tells which rules can apply at all. */
  private static final byte[] CHARACTER_CLASSES = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
      int characterClass;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        characterClass = LETTER;
      } else if (c >= '0' && c <= '9') {
        characterClass = DIGIT;
      } else if (c == '@') {
        characterClass = AT_SIGN;
      } else if (c >= 0x20 && c < 0x7F) {
        characterClass = PUNCTUATION;
      } else {
        characterClass = NOT_TEXT;
      }
      CHARACTER_CLASSES[c] = (byte) characterClass;
    }
  }

  private SegmentClassifier() {}

  /**
   * Classifies {@code [start, end)}: {@link #KEEP}, {@link #WILDCARD}, or a cut position {@code c}
   * (≥ 0) meaning "keep {@code [start, c)} and replace the rest with {@code *}".
   */
  static int classify(byte[] b, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return KEEP;
    }
    if (length > MAX_NAME_LENGTH) {
      return WILDCARD;
    }
    int classes = 0;
    for (int i = start; i < end; i++) {
      classes |= CHARACTER_CLASSES[b[i] & 0xFF];
    }
    // Fast paths for the common cases; both follow from the full rules below.
    if (classes == LETTER && length < 16) {
      return KEEP; // a short word: no digit, '@' or sub-delimiter for any rule to act on
    }
    if (classes == DIGIT) {
      return WILDCARD;
    }
    if ((classes & NOT_TEXT) != 0 && !isPrintableText(b, start, end)) {
      return WILDCARD;
    }
    boolean mayHoldEmail = (classes & AT_SIGN) != 0;
    if (isStrongIdentifier(b, start, end, mayHoldEmail)) {
      return WILDCARD;
    }
    int cut = identifierSuffix(b, start, end, mayHoldEmail);
    if (cut >= 0) {
      return cut;
    }
    if (looksRandom(b, start, end)) {
      return WILDCARD;
    }
    return digitSuffix(b, start, end);
  }

  /**
   * Numbers, dates, UUIDs, long hex strings and e-mail addresses: identifiers whatever their
   * context.
   */
  static boolean isStrongIdentifier(byte[] b, int start, int end, boolean mayHoldEmail) {
    return isNumeric(b, start, end)
        || isUuid(b, start, end)
        || isLongHex(b, start, end)
        || (mayHoldEmail && isEmail(b, start, end));
  }

  /**
   * Digits with optional sign and date/number punctuation, at least half digits: {@code 42}, {@code
   * -7}, {@code 3.14}, {@code 10.0.0.1}, {@code 2024-01-31}, {@code 2024-01-31T10}, {@code
   * 2024-W05}, {@code 1706659200000-0}. Units such as {@code 60s} or {@code 1h} are not numbers.
   */
  static boolean isNumeric(byte[] b, int start, int end) {
    int i = start;
    if (i < end && (b[i] == '-' || b[i] == '+')) {
      i++;
    }
    if (i >= end || !isDigit(b[i])) {
      return false;
    }
    int digits = 0;
    for (; i < end; i++) {
      byte c = b[i];
      if (isDigit(c)) {
        digits++;
      } else if ("-._/:+TZW".indexOf(c) < 0) {
        return false;
      }
    }
    return digits * 2 >= end - start;
  }

  /** A canonical 8-4-4-4-12 UUID. */
  static boolean isUuid(byte[] b, int start, int end) {
    if (end - start != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      byte c = b[start + i];
      boolean dashPosition = i == 8 || i == 13 || i == 18 || i == 23;
      if (dashPosition ? c != '-' : !isHex(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * At least 8 hex digits including a digit (hashes, UUIDs without dashes, ObjectIds); the digit
   * requirement keeps words such as {@code deadbeef} or {@code facade}.
   */
  static boolean isLongHex(byte[] b, int start, int end) {
    if (end - start < 8) {
      return false;
    }
    boolean sawDigit = false;
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (isDigit(c)) {
        sawDigit = true;
      } else if (!isHex(c)) {
        return false;
      }
    }
    return sawDigit;
  }

  /** {@code local@domain.tld} made of printable ASCII without spaces. */
  static boolean isEmail(byte[] b, int start, int end) {
    int at = -1;
    for (int i = start; i < end; i++) {
      byte c = b[i];
      if (c <= ' ' || c >= 0x7F) {
        return false;
      }
      if (c == '@') {
        if (at >= 0) {
          return false;
        }
        at = i;
      }
    }
    if (at <= start) {
      return false;
    }
    for (int i = at + 2; i < end - 1; i++) {
      if (b[i] == '.') {
        return true;
      }
    }
    return false;
  }

  /**
   * A name followed by an identifier after a sub-delimiter ({@code -}, {@code _}, {@code .}, {@code
   * /}, {@code |}): {@code celery-task-meta-<uuid>}, {@code sess_<token>}, {@code
   * order-2024-01-31}. Returns the position just after that sub-delimiter, or -1.
   *
   * <p>The part kept must start with a word of letters, so an identifier that merely contains
   * dashes (a UUID, a date) is never cut in two. Strong identifiers win from the left; a random
   * token is only taken as the suffix when the sub-token starting it is not itself a plain word, so
   * that {@code celery-task-meta} is not mistaken for the start of a token.
   */
  static int identifierSuffix(byte[] b, int start, int end, boolean mayHoldEmail) {
    int i = start;
    while (i < end && isSubDelimiter(b[i])) {
      i++;
    }
    int wordEnd = i;
    while (wordEnd < end && isLetter(b[wordEnd])) {
      wordEnd++;
    }
    if (wordEnd == i || wordEnd >= end || !isSubDelimiter(b[wordEnd])) {
      return -1;
    }
    int candidates = 0;
    for (int p = wordEnd; p < end - 1 && candidates < MAX_SUFFIX_CANDIDATES; p++) {
      if (!isSubDelimiter(b[p]) || isSubDelimiter(b[p + 1])) {
        continue;
      }
      candidates++;
      if (isStrongIdentifier(b, p + 1, end, mayHoldEmail) || isCompoundIdentifier(b, p + 1, end)) {
        return p + 1;
      }
    }
    candidates = 0;
    for (int p = wordEnd; p < end - 1 && candidates < MAX_SUFFIX_CANDIDATES; p++) {
      if (!isSubDelimiter(b[p]) || isSubDelimiter(b[p + 1])) {
        continue;
      }
      candidates++;
      int tokenEnd = p + 1;
      while (tokenEnd < end && !isSubDelimiter(b[tokenEnd])) {
        tokenEnd++;
      }
      if (!isLetters(b, p + 1, tokenEnd) && looksRandom(b, p + 1, end)) {
        return p + 1;
      }
    }
    return -1;
  }

  /**
   * Several identifiers joined by sub-delimiters, such as {@code 42-20240131120000} or {@code
   * 1706659200_8f14e45fceea167a}; every part must be numeric, long hex or random-looking.
   */
  static boolean isCompoundIdentifier(byte[] b, int start, int end) {
    int parts = 0;
    int partStart = start;
    for (int i = start; i <= end; i++) {
      if (i == end || isSubDelimiter(b[i])) {
        if (i > partStart) {
          if (!isNumeric(b, partStart, i)
              && !isLongHex(b, partStart, i)
              && !looksRandom(b, partStart, i)) {
            return false;
          }
          parts++;
        }
        partStart = i + 1;
      }
    }
    return parts > 0;
  }

  /**
   * Tokens that look generated rather than named: session ids, API keys, base64/base62/base32,
   * JWTs, nanoids, Kubernetes pod suffixes.
   *
   * <p>The test looks at how letters group. Words, {@code camelCase} and {@code SNAKE_CASE} keep
   * most letters in same-case runs of three or more and have a normal share of vowels; generated
   * tokens switch case and digits constantly, or (base32, consonant-only alphabets) have almost no
   * vowels. From 16 bytes: random if it mixes case or has digits and fewer than half its letters
   * sit in long runs, or has at least 12 letters of which fewer than a quarter are vowels, or ends
   * in base64 padding. From 6 to 15 bytes the evidence is thinner: at least three letters and two
   * digits (one suffices with mixed case) are required, with at most 30 % of letters in long runs
   * or no vowel at all ({@code aZ3kP9q}, {@code NffrFeUfNV2Hib}, {@code 5d8f7c9b6}). So {@code
   * session}, {@code ratelimit}, {@code featureflags}, {@code ShoppingCartService}, {@code
   * OAuth2TokenCache}, {@code ACCESS_TOKEN_CACHE_V2}, {@code sha256}, {@code utf8mb4} and {@code
   * iPhone15Pro} stay.
   */
  static boolean looksRandom(byte[] b, int start, int end) {
    int length = end - start;
    if (length < MIN_TOKEN_LENGTH) {
      return false;
    }
    int lower = 0;
    int upper = 0;
    int digits = 0;
    int vowels = 0;
    int lettersInLongRuns = 0;
    int runClass = CLASS_OTHER;
    int runLength = 0;
    for (int i = start; i < end; i++) {
      byte c = b[i];
      int charClass;
      if (c >= 'a' && c <= 'z') {
        lower++;
        charClass = CLASS_LOWER;
      } else if (c >= 'A' && c <= 'Z') {
        upper++;
        charClass = CLASS_UPPER;
      } else if (isDigit(c)) {
        digits++;
        charClass = CLASS_OTHER;
      } else if ("+/=_-.".indexOf(c) >= 0) {
        charClass = CLASS_OTHER;
      } else {
        return false;
      }
      if (charClass != CLASS_OTHER && isVowel(c)) {
        vowels++;
      }
      if (charClass == runClass && charClass != CLASS_OTHER) {
        runLength++;
      } else {
        if (runLength >= 3) {
          lettersInLongRuns += runLength;
        }
        runClass = charClass;
        runLength = charClass == CLASS_OTHER ? 0 : 1;
      }
    }
    if (runLength >= 3) {
      lettersInLongRuns += runLength;
    }
    int letters = lower + upper;
    if (letters == 0) {
      return false;
    }
    boolean mixedCase = lower > 0 && upper > 0;
    if (length >= 16) {
      boolean mixed = digits > 0 || mixedCase;
      if (mixed && lettersInLongRuns * 2 < letters) {
        return true;
      }
      if (letters >= 12 && vowels * 4 < letters) {
        return true;
      }
      return mixed && b[end - 1] == '=';
    }
    if (letters < 3 || (digits < 2 && !(digits == 1 && mixedCase))) {
      return false;
    }
    return lettersInLongRuns * 10 <= letters * 3 || vowels == 0;
  }

  /**
   * A word followed by four or more digits ({@code user1234}, {@code order20240131}): returns where
   * the digits start, else {@link #KEEP}. Shorter digit tails ({@code v2}, {@code oauth2}, {@code
   * sha256}, {@code top100}) are far more often part of a name than an id.
   */
  static int digitSuffix(byte[] b, int start, int end) {
    int digitsStart = end;
    while (digitsStart > start && isDigit(b[digitsStart - 1])) {
      digitsStart--;
    }
    if (end - digitsStart >= 4 && digitsStart > start && isLetters(b, start, digitsStart)) {
      return digitsStart;
    }
    return KEEP;
  }

  /**
   * Printable ASCII or well-formed UTF-8 without control characters; anything else is binary data
   * and cannot be a name (it would also not survive conversion to a String).
   */
  static boolean isPrintableText(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        if (c < 0x20 || c == 0x7F) {
          return false;
        }
        i++;
        continue;
      }
      int extra;
      int minSecond = 0x80;
      int maxSecond = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        extra = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        extra = 2;
        if (c == 0xE0) {
          minSecond = 0xA0; // overlong
        } else if (c == 0xED) {
          maxSecond = 0x9F; // surrogates
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        extra = 3;
        if (c == 0xF0) {
          minSecond = 0x90; // overlong
        } else if (c == 0xF4) {
          maxSecond = 0x8F; // beyond U+10FFFF
        }
      } else {
        return false;
      }
      if (i + extra >= end) {
        return false;
      }
      int second = b[i + 1] & 0xFF;
      if (second < minSecond || second > maxSecond) {
        return false;
      }
      for (int k = 2; k <= extra; k++) {
        int next = b[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return false;
        }
      }
      if (extra == 1 && c == 0xC2 && second < 0xA0) {
        return false; // C1 control characters U+0080..U+009F
      }
      i += extra + 1;
    }
    return true;
  }

  static boolean isSubDelimiter(byte c) {
    return c == '-' || c == '_' || c == '.' || c == '/' || c == '|';
  }

  static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static boolean isLetter(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isLetters(byte[] b, int start, int end) {
    if (start >= end) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!isLetter(b[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(byte c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isVowel(byte c) {
    switch (c | 0x20) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return true;
      default:
        return false;
    }
  }
}
