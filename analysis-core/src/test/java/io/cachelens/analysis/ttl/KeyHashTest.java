package io.cachelens.analysis.ttl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyHashTest {
  private static final int MEGABYTE = 1 << 20;

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomKey(int length, long seed) {
    byte[] key = new byte[length];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < length; i++) {
      key[i] = (byte) random.nextInt(256);
    }
    return key;
  }

  private static byte[] flipped(byte[] key, int index) {
    byte[] copy = key.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  @Test
  void isNeverZero() {
    assertThat(KeyHash.of(new byte[0])).isNotZero();
    assertThat(KeyHash.of(new byte[1])).isNotZero();
    for (int i = 0; i < 100_000; i++) {
      assertThat(KeyHash.of(bytes("user:" + i))).isNotZero();
    }
  }

  @Test
  void equalKeysHaveEqualHashes() {
    byte[] key = bytes("product:cache:12345");
    assertThat(KeyHash.of(key.clone())).isEqualTo(KeyHash.of(key));
    byte[] large = randomKey(MEGABYTE, 1);
    assertThat(KeyHash.of(large.clone())).isEqualTo(KeyHash.of(large));
  }

  @Test
  void distinctShortKeysHaveDistinctHashes() {
    Set<Long> hashes = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      hashes.add(KeyHash.of(bytes("session:" + i)));
    }
    assertThat(hashes).hasSize(200_000);
  }

  @Test
  void distinctKeysSpreadOverTheLowBitsAndTheFingerprint() {
    // ExpiryTracker indexes by the low bits and fingerprints with the top 24.
    Set<Long> lowBits = new HashSet<>();
    Set<Long> topBits = new HashSet<>();
    for (int i = 0; i < 4_096; i++) {
      long hash = KeyHash.of(bytes("k" + i));
      lowBits.add(hash & 0xFFF);
      topBits.add(hash >>> 40);
    }
    // 4096 keys into 4096 buckets fill about 63% of them when spread uniformly.
    assertThat(lowBits.size()).isBetween(2_400, 2_800);
    assertThat(topBits.size()).isGreaterThan(4_090);
  }

  @Test
  void theLengthCounts() {
    assertThat(KeyHash.of(new byte[1])).isNotEqualTo(KeyHash.of(new byte[2]));
    assertThat(KeyHash.of(new byte[0])).isNotEqualTo(KeyHash.of(new byte[1]));
    assertThat(KeyHash.of(bytes("ab"))).isNotEqualTo(KeyHash.of(bytes("ba")));
    assertThat(KeyHash.of(new byte[MEGABYTE])).isNotEqualTo(KeyHash.of(new byte[MEGABYTE + 1]));
  }

  @Test
  void everyByteOfAKeyUpToTwiceTheEdgeCounts() {
    byte[] key = randomKey(2 * KeyHash.EDGE, 2);
    long hash = KeyHash.of(key);
    for (int i = 0; i < key.length; i++) {
      assertThat(KeyHash.of(flipped(key, i))).as("byte %d", i).isNotEqualTo(hash);
    }
  }

  @Test
  void aLongKeyIsHashedOnItsEdgesAndLength() {
    byte[] key = randomKey(MEGABYTE, 3);
    long hash = KeyHash.of(key);

    assertThat(KeyHash.of(flipped(key, 0))).isNotEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, KeyHash.EDGE - 1))).isNotEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, MEGABYTE - KeyHash.EDGE))).isNotEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, MEGABYTE - 1))).isNotEqualTo(hash);
    assertThat(KeyHash.of(Arrays.copyOf(key, MEGABYTE - 1))).isNotEqualTo(hash);

    // The documented bound: keys of equal length whose first and last EDGE bytes are equal
    // collide, however different their middles are. That is what keeps a 1 MB key as cheap to
    // hash as a 512-byte one.
    assertThat(KeyHash.of(flipped(key, KeyHash.EDGE))).isEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, MEGABYTE / 2))).isEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, MEGABYTE - KeyHash.EDGE - 1))).isEqualTo(hash);
    byte[] otherMiddle = randomKey(MEGABYTE, 4);
    System.arraycopy(key, 0, otherMiddle, 0, KeyHash.EDGE);
    System.arraycopy(
        key, MEGABYTE - KeyHash.EDGE, otherMiddle, MEGABYTE - KeyHash.EDGE, KeyHash.EDGE);
    assertThat(KeyHash.of(otherMiddle)).isEqualTo(hash);
  }

  @Test
  void theBoundStartsJustAboveTwiceTheEdge() {
    byte[] key = randomKey(2 * KeyHash.EDGE + 1, 5);
    long hash = KeyHash.of(key);

    assertThat(KeyHash.of(flipped(key, KeyHash.EDGE - 1))).isNotEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, KeyHash.EDGE))).isEqualTo(hash);
    assertThat(KeyHash.of(flipped(key, KeyHash.EDGE + 1))).isNotEqualTo(hash);
  }
}
