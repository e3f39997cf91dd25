package io.cachelens.analysis.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyPrefixInferrerTest {

  private static final int ONE_MEBIBYTE = 1 << 20;

  private final KeyPrefixInferrer inferrer = new KeyPrefixInferrer(PrefixConfig.defaults());

  @Test
  void reservedIdsAreOtherAndEmpty() {
    assertThat(KeyPrefixInferrer.OTHER).isZero();
    assertThat(inferrer.prefix(KeyPrefixInferrer.OTHER)).isEqualTo("<other>");
    assertThat(inferrer.prefix(KeyPrefixInferrer.EMPTY)).isEqualTo("<empty>");
    assertThat(inferrer.size()).isEqualTo(2);
  }

  @Test
  void nullAndEmptyKeysAreEmpty() {
    assertThat(inferrer.prefixId(null)).isEqualTo(KeyPrefixInferrer.EMPTY);
    assertThat(inferrer.prefixId(new byte[0])).isEqualTo(KeyPrefixInferrer.EMPTY);
    assertThat(inferrer.prefixId(bytes("abc"), 1, 0)).isEqualTo(KeyPrefixInferrer.EMPTY);
    assertThat(inferrer.prefixId(null, 0, 5)).isEqualTo(KeyPrefixInferrer.EMPTY);
    assertThat(inferrer.infer(null)).isEqualTo("<empty>");
    assertThat(inferrer.infer("")).isEqualTo("<empty>");
  }

  @Test
  void rangesOutsideTheArrayAreOtherInsteadOfThrowing() {
    byte[] key = bytes("user:42");

    assertThat(inferrer.prefixId(key, -1, 3)).isEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.prefixId(key, 5, 3)).isEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.prefixId(key, 0, -1)).isEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.prefixId(key, Integer.MAX_VALUE, Integer.MAX_VALUE))
        .isEqualTo(KeyPrefixInferrer.OTHER);
  }

  @Test
  void sameBytesGiveTheSameIdAndNamesResolve() {
    int first = inferrer.prefixId(bytes("product:cache:123"));
    int again = inferrer.prefixId(bytes("product:cache:123"));
    int sibling = inferrer.prefixId(bytes("product:cache:456"));
    int other = inferrer.prefixId(bytes("user:42"));

    assertThat(again).isEqualTo(first);
    assertThat(sibling).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(inferrer.prefix(first)).isEqualTo("product:cache:*");
    assertThat(inferrer.prefix(other)).isEqualTo("user:*");
    assertThat(inferrer.size()).isEqualTo(4);
  }

  @Test
  void aSliceOfALargerArrayGivesTheSameIdAsTheKeyAlone() {
    byte[] frame = bytes("*3\r\n$3\r\nGET\r\n$17\r\nproduct:cache:123\r\n");
    int offset = new String(frame, StandardCharsets.US_ASCII).indexOf("product");

    assertThat(inferrer.prefixId(frame, offset, 17))
        .isEqualTo(inferrer.prefixId(bytes("product:cache:123")));
  }

  @Test
  void idsAreDenseAndStable() {
    List<String> keys = List.of("a:1", "b:2", "c:3", "d:4", "a:9");
    List<Integer> ids = new ArrayList<>();
    for (String key : keys) {
      ids.add(inferrer.prefixId(bytes(key)));
    }
    for (int i = 0; i < 500; i++) {
      inferrer.prefixId(bytes("noise" + letters(i) + ":x"));
    }

    assertThat(ids).containsExactly(2, 3, 4, 5, 2);
    for (int i = 0; i < keys.size(); i++) {
      assertThat(inferrer.prefixId(bytes(keys.get(i)))).isEqualTo(ids.get(i));
    }
  }

  @Test
  void userPatternsWinOverInference() {
    KeyPrefixInferrer withPatterns =
        new KeyPrefixInferrer(
            PrefixConfig.builder()
                .addPattern("product:cache:*")
                .addPattern("tenant:*:orders:*")
                .addPattern("{*}:cart")
                .addPattern("jobs:**")
                .addPattern("celery-task-meta-*")
                .build());

    assertThat(withPatterns.infer("tenant:acme:orders:42")).isEqualTo("tenant:*:orders:*");
    assertThat(withPatterns.infer("tenant:beta:orders:latest")).isEqualTo("tenant:*:orders:*");
    assertThat(withPatterns.infer("product:cache:summer-sale")).isEqualTo("product:cache:*");
    assertThat(withPatterns.infer("{user:42}:cart")).isEqualTo("{*}:cart");
    assertThat(withPatterns.infer("jobs:mail:retry:3")).isEqualTo("jobs:**");
    assertThat(withPatterns.infer("celery-task-meta-anything")).isEqualTo("celery-task-meta-*");
    // '*' stands for exactly one segment, so deeper keys fall back to inference
    assertThat(withPatterns.infer("product:cache:123:v2")).isEqualTo("product:cache:*:v2");
    assertThat(withPatterns.infer("tenant:acme:orders")).isEqualTo("tenant:acme:orders");
    assertThat(withPatterns.infer("jobs")).isEqualTo("jobs");

    int id = withPatterns.prefixId(bytes("tenant:acme:orders:42"));
    assertThat(withPatterns.prefixId(bytes("tenant:beta:orders:7"))).isEqualTo(id);
    assertThat(withPatterns.prefix(id)).isEqualTo("tenant:*:orders:*");
  }

  @Test
  void theFirstMatchingPatternWins() {
    KeyPrefixInferrer withPatterns =
        new KeyPrefixInferrer(
            PrefixConfig.builder().patterns(List.of("user:*:profile", "user:**")).build());

    assertThat(withPatterns.infer("user:42:profile")).isEqualTo("user:*:profile");
    assertThat(withPatterns.infer("user:42:settings")).isEqualTo("user:**");
  }

  @Test
  void patternsMatchDelimitersExactly() {
    KeyPrefixInferrer withPatterns =
        new KeyPrefixInferrer(PrefixConfig.builder().delimiters(":/").addPattern("a:*/c").build());

    assertThat(withPatterns.infer("a:b/c")).isEqualTo("a:*/c");
    assertThat(withPatterns.infer("a/b/c")).isEqualTo("a/b/c");
  }

  @Test
  void cardinalityIsBoundedAndLaterPrefixesMapToOther() {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      String key = "tenant" + letters(i) + ":data:" + i;
      ids.put(key, inferrer.prefixId(bytes(key)));
    }

    int maxPrefixes = PrefixConfig.DEFAULT_MAX_PREFIXES;
    assertThat(inferrer.size()).isEqualTo(maxPrefixes);
    Set<Integer> distinct = new HashSet<>(ids.values());
    assertThat(distinct).hasSize(maxPrefixes - 1).contains(KeyPrefixInferrer.OTHER);
    assertThat(distinct).allMatch(id -> id >= 0 && id < maxPrefixes);
    long inOther = ids.values().stream().filter(id -> id == KeyPrefixInferrer.OTHER).count();
    assertThat(inOther).isEqualTo(10_000 - (maxPrefixes - 2));
    // prefixes registered before the bound keep their id
    assertThat(inferrer.prefixId(bytes("tenant" + letters(0) + ":data:77")))
        .isEqualTo(ids.get("tenant" + letters(0) + ":data:0"))
        .isNotEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.prefixId(bytes("brand:new:key"))).isEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.infer("brand:new:key")).isEqualTo("brand:new:key");
  }

  @Test
  void concurrentUseGivesConsistentIds() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      keys.add("svc" + letters(i % 200) + ":item:" + i);
    }
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Map<String, Integer>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<String> order = new ArrayList<>(keys);
        Collections.shuffle(order, new Random(t));
        Callable<Map<String, Integer>> task =
            () -> {
              start.await();
              Map<String, Integer> seen = new HashMap<>();
              for (String key : order) {
                seen.put(key, inferrer.prefixId(bytes(key)));
              }
              return seen;
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      Map<String, Integer> reference = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<Map<String, Integer>> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(reference);
      }
      Map<String, Integer> idByPrefix = new HashMap<>();
      for (String key : keys) {
        int id = reference.get(key);
        assertThat(inferrer.prefix(id)).isEqualTo(inferrer.infer(key));
        assertThat(idByPrefix.putIfAbsent(inferrer.infer(key), id)).isIn(null, id);
      }
      assertThat(inferrer.size()).isEqualTo(2 + 200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void binaryKeysNeverThrowAndAreStable() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] key = new byte[random.nextInt(64)];
      random.nextBytes(key);
      int id = inferrer.prefixId(key);
      assertThat(id).isBetween(0, PrefixConfig.DEFAULT_MAX_PREFIXES - 1);
      assertThat(inferrer.prefixId(key.clone())).isEqualTo(id);
    }
  }

  @Test
  void nonUtf8SegmentsBecomeWildcards() {
    byte[] key = {'i', 'm', 'g', ':', (byte) 0xFF, (byte) 0xFE, 0x00, 0x01};
    byte[] controlCharacters = {'k', ':', 0x07, 'x'};

    assertThat(inferrer.prefix(inferrer.prefixId(key))).isEqualTo("img:*");
    assertThat(inferrer.prefix(inferrer.prefixId(controlCharacters))).isEqualTo("k:*");
  }

  @Test
  void hugeKeysDoNotThrowAndCollapse() {
    byte[] letters = new byte[ONE_MEBIBYTE];
    Arrays.fill(letters, (byte) 'a');
    byte[] delimiters = new byte[ONE_MEBIBYTE];
    Arrays.fill(delimiters, (byte) ':');
    byte[] braces = new byte[ONE_MEBIBYTE];
    Arrays.fill(braces, (byte) '{');
    byte[] random = new byte[ONE_MEBIBYTE];
    new Random(7).nextBytes(random);
    byte[] deep = bytes("a:".repeat(ONE_MEBIBYTE / 2));

    assertThat(inferrer.prefix(inferrer.prefixId(letters))).isEqualTo("*");
    assertThat(inferrer.prefix(inferrer.prefixId(delimiters))).isEqualTo("::*");
    assertThat(inferrer.prefix(inferrer.prefixId(braces))).isEqualTo("*");
    assertThat(inferrer.prefix(inferrer.prefixId(deep))).isEqualTo("a:a:a:a:*");
    assertThatCode(() -> inferrer.prefixId(random)).doesNotThrowAnyException();
    assertThat(inferrer.prefix(inferrer.prefixId(bytes("cache:" + "x".repeat(200)))))
        .isEqualTo("cache:*");
  }

  @Test
  void literalReservedNamesShareTheReservedIds() {
    assertThat(inferrer.prefixId(bytes("<other>"))).isEqualTo(KeyPrefixInferrer.OTHER);
    assertThat(inferrer.prefixId(bytes("<empty>"))).isEqualTo(KeyPrefixInferrer.EMPTY);
  }

  @Test
  void unknownIdsResolveToOther() {
    assertThat(inferrer.prefix(-1)).isEqualTo("<other>");
    assertThat(inferrer.prefix(12_345)).isEqualTo("<other>");
  }

  @Test
  void depthAndDelimitersFollowTheConfig() {
    KeyPrefixInferrer shallow =
        new KeyPrefixInferrer(PrefixConfig.builder().maxDepth(2).delimiters(":/").build());

    assertThat(shallow.infer("a:b:c:d")).isEqualTo("a:b:*");
    assertThat(shallow.infer("static/img/42")).isEqualTo("static/img/*");
    assertThat(shallow.infer("a/b")).isEqualTo("a/b");
  }

  @Test
  void knownPrefixesAreLookedUpWithoutAllocating() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    KeyPrefixInferrer withPattern =
        new KeyPrefixInferrer(PrefixConfig.builder().addPattern("tenant:*:orders:*").build());
    byte[][] keys = {
      bytes("product:cache:123"),
      bytes("{user:42}:cart"),
      bytes("users::42"),
      bytes("celery-task-meta-d0f4c3b0-5f6e-4b8a-9c1d-2e3f4a5b6c7d"),
      bytes("tenant:acme:orders:42"),
      bytes("bull:email:123:lock")
    };
    long checksum = 0;
    for (int round = 0; round < 20_000; round++) {
      checksum += withPattern.prefixId(keys[round % keys.length]);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int round = 0; round < 100_000; round++) {
      checksum += withPattern.prefixId(keys[round % keys.length]);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(checksum).isPositive();
    // a few hundred bytes of slack for the measurement itself
    assertThat(allocated).isLessThan(1_024);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A distinct all-letter word per number, so that inference keeps it as a name. */
  private static String letters(int number) {
    StringBuilder word = new StringBuilder();
    int rest = number;
    do {
      word.append((char) ('a' + rest % 26));
      rest /= 26;
    } while (rest > 0);
    return word.toString();
  }
}
