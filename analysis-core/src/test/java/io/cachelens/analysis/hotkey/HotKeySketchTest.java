package io.cachelens.analysis.hotkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cachelens.analysis.hotkey.HotKeySketch.HotKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotKeySketchTest {

  private static void add(HotKeySketch sketch, long key) {
    sketch.add(key, (int) (key % 7), null);
  }

  @Test
  void countsKeysExactlyWhileThereIsRoom() {
    HotKeySketch sketch = new HotKeySketch(4);
    for (int i = 0; i < 5; i++) {
      add(sketch, 1);
    }
    add(sketch, 2);
    add(sketch, 2);
    add(sketch, 3);

    assertThat(sketch.total()).isEqualTo(8);
    assertThat(sketch.top())
        .extracting(HotKey::keyHash, HotKey::prefixId, HotKey::count, HotKey::error)
        .containsExactly(tuple(1L, 1, 5L, 0L), tuple(2L, 2, 2L, 0L), tuple(3L, 3, 1L, 0L));
  }

  @Test
  void aNewKeyTakesTheSmallestCounterAndItsCountAsError() {
    HotKeySketch sketch = new HotKeySketch(2);
    add(sketch, 1);
    add(sketch, 1);
    add(sketch, 2);
    add(sketch, 3);

    // Key 3 replaced key 2 (count 1): estimated 2, of which 1 may be key 2's.
    assertThat(sketch.top())
        .extracting(HotKey::keyHash, HotKey::count, HotKey::error, HotKey::guaranteedCount)
        .containsExactly(tuple(1L, 2L, 0L, 2L), tuple(3L, 2L, 1L, 1L));
  }

  @Test
  void ordersByCountThenHash() {
    HotKeySketch sketch = new HotKeySketch(8);
    for (long key : new long[] {5, 4, 4, 9, 9, 3}) {
      add(sketch, key);
    }

    assertThat(sketch.top()).extracting(HotKey::keyHash).containsExactly(4L, 9L, 3L, 5L);
  }

  @Test
  void aClearMajorityIsOnTopWithinTheErrorBound() {
    int capacity = 8;
    HotKeySketch sketch = new HotKeySketch(capacity);
    SplittableRandom random = new SplittableRandom(42);
    long hot = 0xC0FFEEL;
    long hotCount = 0;
    for (int i = 0; i < 100_000; i++) {
      if (random.nextInt(100) < 55) {
        add(sketch, hot);
        hotCount++;
      } else {
        // A long tail of distinct keys churns the other counters.
        add(sketch, 1_000_000 + random.nextInt(50_000));
      }
    }

    HotKey top = sketch.top().get(0);
    assertThat(top.keyHash()).isEqualTo(hot);
    assertThat(top.count() - top.error()).isLessThanOrEqualTo(hotCount);
    assertThat(top.count()).isGreaterThanOrEqualTo(hotCount);
    assertThat(sketch.total()).isEqualTo(100_000);
  }

  @Test
  void everyTrackedKeysTrueCountLiesWithinItsBounds() {
    int capacity = 50;
    HotKeySketch sketch = new HotKeySketch(capacity);
    Map<Long, Long> truth = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    int total = 200_000;
    for (int i = 0; i < total; i++) {
      // Zipf-like: key k with probability about 1/k.
      long key = (long) Math.floor(Math.exp(random.nextDouble() * Math.log(5_000)));
      add(sketch, key);
      truth.merge(key, 1L, Long::sum);
    }

    List<HotKey> top = sketch.top();
    assertThat(top).hasSize(capacity);
    for (HotKey key : top) {
      long actual = truth.get(key.keyHash());
      assertThat(key.guaranteedCount()).as("key %d", key.keyHash()).isLessThanOrEqualTo(actual);
      assertThat(key.count()).as("key %d", key.keyHash()).isGreaterThanOrEqualTo(actual);
    }
    // Every key above total / capacity is guaranteed a counter.
    List<Long> tracked = top.stream().map(HotKey::keyHash).toList();
    truth.forEach(
        (key, count) -> {
          if (count > total / capacity) {
            assertThat(tracked).contains(key);
          }
        });
    assertThat(truth.get(1L)).isGreaterThan((long) total / capacity);
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    HotKeySketch sketch = new HotKeySketch(10);
    for (long key = 0; key < 10_000; key++) {
      add(sketch, key);
    }

    assertThat(sketch.top()).hasSize(10);
    assertThat(sketch.total()).isEqualTo(10_000);
  }

  @Test
  void keepsNoKeyBytesUnlessAsked() {
    HotKeySketch sketch = new HotKeySketch(2);
    sketch.add(1, 0, "product:cache:1".getBytes(StandardCharsets.UTF_8));

    HotKey key = sketch.top().get(0);
    assertThat(key.keyBytes()).isNull();
    assertThat(key.keyLength()).isEqualTo(15);
  }

  @Test
  void keepsTheLeadingKeyBytesOfTheKeyThatTakesACounter() {
    HotKeySketch sketch = new HotKeySketch(1, 4);
    byte[] first = "session:user:1".getBytes(StandardCharsets.UTF_8);
    sketch.add(1, 0, first);
    // The caller may reuse its buffer: the sketch holds its own copy.
    first[0] = 'X';
    sketch.add(1, 0, "must not replace".getBytes(StandardCharsets.UTF_8));

    HotKey key = sketch.top().get(0);
    assertThat(new String(key.keyBytes(), StandardCharsets.UTF_8)).isEqualTo("sess");
    assertThat(key.keyLength()).isEqualTo(14);
    assertThat(key.count()).isEqualTo(2);

    sketch.add(2, 0, "cart:9".getBytes(StandardCharsets.UTF_8));
    HotKey replaced = sketch.top().get(0);
    assertThat(new String(replaced.keyBytes(), StandardCharsets.UTF_8)).isEqualTo("cart");
    assertThat(replaced.error()).isEqualTo(2);
  }

  @Test
  void neverCutsInsideAUtf8Character() {
    // "ab" then "é" (2 bytes), "€" (3 bytes) and "😀" (4 bytes).
    byte[] key = "abé€😀".getBytes(StandardCharsets.UTF_8);
    assertThat(key).hasSize(11);
    assertThat(HotKeySketch.keptLength(key, 3)).as("inside é").isEqualTo(2);
    assertThat(HotKeySketch.keptLength(key, 4)).as("after é").isEqualTo(4);
    assertThat(HotKeySketch.keptLength(key, 5)).as("inside €").isEqualTo(4);
    assertThat(HotKeySketch.keptLength(key, 6)).as("inside €").isEqualTo(4);
    assertThat(HotKeySketch.keptLength(key, 9)).as("inside 😀").isEqualTo(7);
    assertThat(HotKeySketch.keptLength(key, 10)).as("inside 😀").isEqualTo(7);
    assertThat(HotKeySketch.keptLength(key, 11)).isEqualTo(11);
    assertThat(HotKeySketch.keptLength(key, 200)).isEqualTo(11);
    // Not UTF-8: never more than three bytes given back.
    byte[] binary =
        new byte[] {'k', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertThat(HotKeySketch.keptLength(binary, 5)).isEqualTo(2);

    HotKeySketch sketch = new HotKeySketch(1, 5);
    sketch.add(1, 0, key);
    HotKey kept = sketch.top().get(0);
    assertThat(new String(kept.keyBytes(), StandardCharsets.UTF_8)).isEqualTo("abé");
    assertThat(kept.keyLength()).isEqualTo(11);
  }

  @Test
  void concurrentFeedersNeverWaitAndEveryTakenSampleIsCounted() throws Exception {
    HotKeySketch sketch = new HotKeySketch(8);
    int threads = 4;
    int perThread = 50_000;
    AtomicLong taken = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> feeders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread feeder =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  // Key 1 is hot in every thread; the rest is a long tail.
                  long key = random.nextInt(4) == 0 ? 1 : 100 + random.nextInt(10_000);
                  if (sketch.add(key, 0, null)) {
                    taken.incrementAndGet();
                  }
                }
              });
      feeder.start();
      feeders.add(feeder);
    }
    start.countDown();
    for (Thread feeder : feeders) {
      feeder.join();
    }

    // Dropped samples are dropped whole: what the sketch counted is exactly what it took.
    assertThat(sketch.total()).isEqualTo(taken.get()).isPositive();
    List<HotKey> top = sketch.top();
    assertThat(top).hasSizeLessThanOrEqualTo(8);
    assertThat(top.get(0).keyHash()).isEqualTo(1L);
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new HotKeySketch(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HotKeySketch(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
