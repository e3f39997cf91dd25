package io.cachelens.analysis.prefix;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps Redis keys to key-prefix patterns such as {@code product:cache:*} and to small, stable ids
 * for them; thread-safe.
 *
 * <h2>Rules</h2>
 *
 * <ol>
 *   <li>A {@code null} or empty key is {@code <empty>} ({@link #EMPTY}).
 *   <li>The first user pattern of {@link PrefixConfig#patterns()} that matches the key wins and is
 *       the prefix.
 *   <li>Otherwise the key is split on the delimiters (default {@code :}) into segments and each
 *       segment is classified. These become {@code *}: numbers and number-like values ({@code 42},
 *       {@code 3.14}, {@code 10.0.0.1}, dates and timestamps such as {@code 2024-01-31}, {@code
 *       20240131}, {@code 2024-W05}, stream ids {@code 1706659200000-0}), UUIDs with or without
 *       dashes, hex strings of 8 or more characters with a digit (hashes, ObjectIds), e-mail
 *       addresses, random-looking tokens (see below), segments longer than 128 bytes, and segments
 *       that are not printable UTF-8 (binary keys).
 *   <li>Within a segment, a name followed by an identifier after {@code -}, {@code _}, {@code .},
 *       {@code /} or {@code |} keeps the name: {@code celery-task-meta-<uuid>} → {@code
 *       celery-task-meta-*}, {@code sess_<token>} → {@code sess_*}; a word followed by 4 or more
 *       digits keeps the word: {@code user1234} → {@code user*}.
 *   <li>Random-looking tokens are told from names by how their letters group: names keep most
 *       letters in same-case runs and have vowels ({@code session}, {@code ratelimit}, {@code
 *       featureflags}, {@code ShoppingCartService}); tokens switch between cases and digits or have
 *       no vowels. Only 8 bytes or more can be tokens.
 *   <li>Redis Cluster hash tags keep their place, their content becomes {@code {*}}: {@code
 *       {user:42}:cart} → {@code {*}:cart}, {@code cart:{42}} → {@code cart:{*}}. As in Redis, only
 *       the first <code>{</code> of a key can open a tag, and an empty tag is no tag.
 *   <li>Spring Cache keys {@code cacheName::key}: an empty segment after the first one means the
 *       rest of the key is the cache entry's key and becomes {@code *}: {@code users::42} → {@code
 *       users::*}, even when the rest contains delimiters.
 *   <li>Consecutive identifier segments at the end collapse into one {@code *}: {@code
 *       product:cache:123} → {@code product:cache:*}, {@code metrics:2024-01-31T10:15:00Z} → {@code
 *       metrics:*}. Identifier segments in the middle stay one {@code *} each: {@code
 *       tenant:7:orders:42} → {@code tenant:*:orders:*}.
 *   <li>Only {@link PrefixConfig#maxDepth()} segments are kept; everything after collapses into one
 *       {@code *} ({@code a:b:c:d:e:f} → {@code a:b:c:d:*} with the default 4).
 *   <li>A key without delimiter is kept if it is a name ({@code config}, {@code leaderboard},
 *       {@code _kombu.binding.celery}) and is {@code *} if it is an identifier.
 * </ol>
 *
 * <p>Queue libraries come out as SREs expect: {@code queue:default}, {@code bull:email:wait},
 * {@code bull:email:123} → {@code bull:email:*}, {@code bull:email:123:lock} → {@code
 * bull:email:*:lock}, {@code celery-task-meta-*}, {@code unacked}.
 *
 * <h2>Ids and bounds</h2>
 *
 * <p>Ids are dense, start at 0 and never change: {@link #OTHER} is 0, {@link #EMPTY} is 1, then
 * prefixes in the order they are first seen. Once {@link PrefixConfig#maxPrefixes()} ids exist,
 * keys of new prefixes get {@link #OTHER}; prefixes seen before keep their id. So neither memory
 * nor a metrics backend grows without bound.
 *
 * <h2>Cost</h2>
 *
 * <p>{@link #prefixId(byte[], int, int)} scans the key bytes, computing a hash of the resulting
 * pattern as it goes, then finds the pattern in a lock-free open-addressing table, verifying a hit
 * by scanning again against the stored pattern bytes. It allocates nothing unless the pattern is
 * new; registering a new pattern takes a lock. Work per key is bounded by the depth cap, apart from
 * finding the end of a long last segment.
 */
public final class KeyPrefixInferrer {

  /** Id of the prefix {@code <other>}: keys of new prefixes once the bound is reached. */
  public static final int OTHER = 0;

  /** Id of the prefix {@code <empty>}: null or empty keys. */
  public static final int EMPTY = 1;

  private static final String OTHER_NAME = "<other>";
  private static final String EMPTY_NAME = "<empty>";

  private static final byte WILDCARD = '*';
  private static final byte[] HASH_TAG = {'{', '*', '}'};

  // A scan's result packs the output length (high 32 bits) and the FNV-1a hash (low 32 bits).
  private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
  private static final int FNV_PRIME = 0x01000193;
  private static final long INITIAL_STATE = FNV_OFFSET_BASIS & 0xFFFFFFFFL;
  private static final long MISMATCH = -1L;

  private final boolean[] delimiters;
  private final int maxDepth;
  private final int maxPrefixes;
  private final UserPattern[] patterns;
  private final AtomicIntegerArray patternIds;

  // Kept at most half full so probing always ends on an empty slot.
  private final AtomicReferenceArray<Entry> table;
  private final int mask;
  private final AtomicReferenceArray<String> names;
  private final Object registrationLock = new Object();
  private volatile int size;
  private volatile boolean full;

  /** Creates an inferrer with the given settings. */
  public KeyPrefixInferrer(PrefixConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.delimiters = UserPattern.delimiterTable(config.delimiters());
    this.maxDepth = config.maxDepth();
    this.maxPrefixes = config.maxPrefixes();
    List<String> patternTexts = config.patterns();
    this.patterns = new UserPattern[patternTexts.size()];
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = UserPattern.compile(patternTexts.get(i), delimiters);
    }
    this.patternIds = new AtomicIntegerArray(patterns.length);
    for (int i = 0; i < patterns.length; i++) {
      patternIds.set(i, -1);
    }
    int capacity = Integer.highestOneBit(maxPrefixes) << 2;
    this.table = new AtomicReferenceArray<>(capacity);
    this.mask = capacity - 1;
    this.names = new AtomicReferenceArray<>(maxPrefixes);
    register(OTHER_NAME.getBytes(StandardCharsets.US_ASCII));
    register(EMPTY_NAME.getBytes(StandardCharsets.US_ASCII));
  }

  /** The id of {@code key}'s prefix; never throws, allocation-free for prefixes seen before. */
  public int prefixId(byte[] key) {
    return key == null ? EMPTY : prefixId(key, 0, key.length);
  }

  /**
   * The id of the prefix of the key in {@code key[offset, offset + length)}; never throws,
   * allocation-free for prefixes seen before. A range outside the array gives {@link #OTHER}.
   */
  public int prefixId(byte[] key, int offset, int length) {
    if (key == null) {
      return EMPTY;
    }
    if (offset < 0 || length < 0 || offset > key.length - length) {
      return OTHER;
    }
    if (length == 0) {
      return EMPTY;
    }
    int end = offset + length;
    for (int i = 0; i < patterns.length; i++) {
      if (patterns[i].matches(key, offset, end, delimiters)) {
        int id = patternIds.get(i);
        return id >= 0 ? id : registerPattern(i);
      }
    }
    long shape = scan(key, offset, end, null, false);
    int outputLength = (int) (shape >>> 32);
    if (outputLength == 0) {
      return EMPTY;
    }
    int hash = finish((int) shape);
    int slot = hash & mask;
    Entry entry;
    while ((entry = table.get(slot)) != null) {
      if (entry.hash == hash
          && entry.bytes.length == outputLength
          && scan(key, offset, end, entry.bytes, false) != MISMATCH) {
        return entry.id;
      }
      slot = (slot + 1) & mask;
    }
    if (full) {
      return OTHER;
    }
    byte[] pattern = new byte[outputLength];
    scan(key, offset, end, pattern, true);
    return register(pattern);
  }

  /** The prefix of an id; {@code <other>} for an id this inferrer never handed out. */
  public String prefix(int id) {
    if (id < 0 || id >= size) {
      return OTHER_NAME;
    }
    String name = names.get(id);
    return name == null ? OTHER_NAME : name;
  }

  /** How many distinct prefixes have ids, {@code <other>} and {@code <empty>} included. */
  public int size() {
    return size;
  }

  /**
   * The prefix of one key by the same rules as {@link #prefixId(byte[])}, for tests and offline
   * use. It registers nothing, so it is not subject to the {@code maxPrefixes} bound and never
   * answers {@code <other>} for lack of room.
   */
  public String infer(String key) {
    if (key == null || key.isEmpty()) {
      return EMPTY_NAME;
    }
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    for (UserPattern pattern : patterns) {
      if (pattern.matches(bytes, 0, bytes.length, delimiters)) {
        return pattern.text();
      }
    }
    long shape = scan(bytes, 0, bytes.length, null, false);
    byte[] pattern = new byte[(int) (shape >>> 32)];
    scan(bytes, 0, bytes.length, pattern, true);
    return new String(pattern, StandardCharsets.UTF_8);
  }

  private int registerPattern(int index) {
    int id = register(patterns[index].textBytes());
    patternIds.set(index, id);
    return id;
  }

  private int register(byte[] pattern) {
    int hash = finish(hashOf(pattern));
    synchronized (registrationLock) {
      int slot = hash & mask;
      Entry entry;
      while ((entry = table.get(slot)) != null) {
        if (entry.hash == hash && Arrays.equals(entry.bytes, pattern)) {
          return entry.id;
        }
        slot = (slot + 1) & mask;
      }
      int id = size;
      if (id >= maxPrefixes) {
        full = true;
        return OTHER;
      }
      // The name is published before the id can be found, so prefix(id) always resolves.
      names.set(id, new String(pattern, StandardCharsets.UTF_8));
      table.set(slot, new Entry(hash, pattern, id));
      size = id + 1;
      return id;
    }
  }

  /**
   * Walks the key and emits its pattern. With {@code target == null} it only measures and hashes;
   * with {@code fill} it writes the pattern into {@code target}; otherwise it compares the pattern
   * with {@code target} and answers {@link #MISMATCH} on the first difference. Emitting is streamed
   * so no buffer is needed; a run of identifier segments is held back (counted) until the next kept
   * segment shows it is not trailing, then replayed from the key.
   */
  private long scan(byte[] key, int from, int end, byte[] target, boolean fill) {
    long state = INITIAL_STATE;
    boolean braceSeen = false;
    int depth = 0;
    int pendingWildcards = 0;
    int pendingFrom = from;
    int segmentStart = from;
    while (true) {
      if (depth == maxDepth && segmentStart < end) {
        pendingWildcards++;
        break;
      }
      int segmentEnd = segmentStart;
      int tagOpen = -1;
      int tagClose = -1;
      while (segmentEnd < end) {
        byte c = key[segmentEnd];
        if (UserPattern.isDelimiter(delimiters, c)) {
          break;
        }
        if (c == '{' && !braceSeen) {
          braceSeen = true;
          int close = UserPattern.indexOf(key, (byte) '}', segmentEnd + 1, end);
          if (close > segmentEnd + 1) {
            tagOpen = segmentEnd;
            tagClose = close;
            segmentEnd = close + 1;
            continue;
          }
        }
        segmentEnd++;
      }
      depth++;
      boolean last = segmentEnd >= end;
      if (tagOpen < 0 && segmentEnd == segmentStart && depth > 1 && segmentEnd + 1 < end) {
        // Spring Cache "cacheName::key": all after the empty segment is the entry's key.
        state = replayWildcards(state, target, fill, key, pendingFrom, pendingWildcards);
        state = emitByte(state, target, fill, key[segmentEnd]);
        return emitByte(state, target, fill, WILDCARD);
      }
      int verdict =
          tagOpen < 0
              ? SegmentClassifier.classify(key, segmentStart, segmentEnd)
              : SegmentClassifier.KEEP;
      if (verdict == SegmentClassifier.WILDCARD) {
        if (pendingWildcards++ == 0) {
          pendingFrom = segmentStart;
        }
        if (last) {
          break;
        }
      } else {
        state = replayWildcards(state, target, fill, key, pendingFrom, pendingWildcards);
        pendingWildcards = 0;
        if (tagOpen >= 0) {
          state = emitClassified(state, target, fill, key, segmentStart, tagOpen);
          state = emit(state, target, fill, HASH_TAG, 0, HASH_TAG.length);
          state = emitClassified(state, target, fill, key, tagClose + 1, segmentEnd);
        } else {
          state = emitVerdict(state, target, fill, key, segmentStart, segmentEnd, verdict);
        }
        if (last) {
          break;
        }
        state = emitByte(state, target, fill, key[segmentEnd]);
      }
      segmentStart = segmentEnd + 1;
    }
    if (pendingWildcards > 0) {
      state = emitByte(state, target, fill, WILDCARD);
    }
    return state;
  }

  /** Emits held-back identifier segments that turned out not to be trailing, with delimiters. */
  private long replayWildcards(
      long state, byte[] target, boolean fill, byte[] key, int from, int count) {
    int position = from;
    for (int i = 0; i < count; i++) {
      while (!UserPattern.isDelimiter(delimiters, key[position])) {
        position++;
      }
      state = emitByte(state, target, fill, WILDCARD);
      state = emitByte(state, target, fill, key[position]);
      position++;
    }
    return state;
  }

  private static long emitClassified(
      long state, byte[] target, boolean fill, byte[] key, int start, int end) {
    if (start >= end) {
      return state;
    }
    return emitVerdict(
        state, target, fill, key, start, end, SegmentClassifier.classify(key, start, end));
  }

  private static long emitVerdict(
      long state, byte[] target, boolean fill, byte[] key, int start, int end, int verdict) {
    if (verdict == SegmentClassifier.KEEP) {
      return emit(state, target, fill, key, start, end);
    }
    if (verdict == SegmentClassifier.WILDCARD) {
      return emitByte(state, target, fill, WILDCARD);
    }
    state = emit(state, target, fill, key, start, verdict);
    return emitByte(state, target, fill, WILDCARD);
  }

  private static long emit(
      long state, byte[] target, boolean fill, byte[] source, int start, int end) {
    if (state == MISMATCH || start >= end) {
      return state;
    }
    int position = (int) (state >>> 32);
    int count = end - start;
    int hash = (int) state;
    if (target == null) {
      for (int i = start; i < end; i++) {
        hash = (hash ^ (source[i] & 0xFF)) * FNV_PRIME;
      }
    } else if (position + count > target.length) {
      return MISMATCH;
    } else if (fill) {
      System.arraycopy(source, start, target, position, count);
    } else {
      // short pieces: a plain loop beats the vectorized Arrays.equals set-up
      for (int i = 0; i < count; i++) {
        if (source[start + i] != target[position + i]) {
          return MISMATCH;
        }
      }
    }
    return pack(position + count, hash);
  }

  private static long emitByte(long state, byte[] target, boolean fill, byte value) {
    if (state == MISMATCH) {
      return state;
    }
    int position = (int) (state >>> 32);
    int hash = (int) state;
    if (target == null) {
      hash = (hash ^ (value & 0xFF)) * FNV_PRIME;
    } else if (position >= target.length) {
      return MISMATCH;
    } else if (fill) {
      target[position] = value;
    } else if (target[position] != value) {
      return MISMATCH;
    }
    return pack(position + 1, hash);
  }

  private static long pack(int position, int hash) {
    return ((long) position << 32) | (hash & 0xFFFFFFFFL);
  }

  private static int hashOf(byte[] bytes) {
    int hash = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
    }
    return hash;
  }

  /** Spreads FNV's low bits, which alone pick the slot (murmur3's finalizer). */
  private static int finish(int hash) {
    hash ^= hash >>> 16;
    hash *= 0x85EBCA6B;
    hash ^= hash >>> 13;
    hash *= 0xC2B2AE35;
    hash ^= hash >>> 16;
    return hash;
  }

  /** One registered prefix; final fields make it safe to read without the lock. */
  private static final class Entry {
    final int hash;
    final byte[] bytes;
    final int id;

    Entry(int hash, byte[] bytes, int id) {
      this.hash = hash;
      this.bytes = bytes;
      this.id = id;
    }
  }
}
