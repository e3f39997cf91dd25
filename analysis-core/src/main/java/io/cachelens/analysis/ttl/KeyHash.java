package io.cachelens.analysis.ttl;

/**
 * A 64-bit hash of a key's bytes, bounded in cost: keys longer than {@value #EDGE} × 2 bytes are
 * hashed on their length, first and last {@value #EDGE} bytes, so a 1 MB key costs what a 512-byte
 * key does.
 */
public final class KeyHash {
  static final int EDGE = 256;
  private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

  private KeyHash() {}

  /** The hash of {@code key}; never 0, which tables use for an empty slot. */
  public static long of(byte[] key) {
    int length = key.length;
    long hash = length * MULTIPLIER;
    if (length <= 2 * EDGE) {
      hash = mix(hash, key, 0, length);
    } else {
      hash = mix(hash, key, 0, EDGE);
      hash = mix(hash, key, length - EDGE, length);
    }
    hash = finish(hash);
    return hash == 0 ? 1 : hash;
  }

  private static long mix(long hash, byte[] key, int from, int to) {
    int i = from;
    // Eight bytes a step, then the tail.
    for (; i + 8 <= to; i += 8) {
      long word =
          (key[i] & 0xFFL)
              | (key[i + 1] & 0xFFL) << 8
              | (key[i + 2] & 0xFFL) << 16
              | (key[i + 3] & 0xFFL) << 24
              | (key[i + 4] & 0xFFL) << 32
              | (key[i + 5] & 0xFFL) << 40
              | (key[i + 6] & 0xFFL) << 48
              | (key[i + 7] & 0xFFL) << 56;
      hash = Long.rotateLeft(hash ^ word * MULTIPLIER, 27) * 5 + 0x52DCE729;
    }
    for (; i < to; i++) {
      hash = Long.rotateLeft(hash ^ (key[i] & 0xFFL) * MULTIPLIER, 11) * MULTIPLIER;
    }
    return hash;
  }

  private static long finish(long hash) {
    hash ^= hash >>> 33;
    hash *= 0xFF51AFD7ED558CCDL;
    hash ^= hash >>> 33;
    hash *= 0xC4CEB9FE1A85EC53L;
    return hash ^ hash >>> 33;
  }
}
