package io.cachelens.analysis.hotkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cachelens.analysis.hotkey.HotKeySketch.HotKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HotKeySketchTest {

  private static void add(HotKeySketch sketch, long key) {
    sketch.add(key, (int) (key % 7), () -> "key:" + key);
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
        .extracting(HotKey::label, HotKey::prefixId, HotKey::count, HotKey::error)
        .containsExactly(
            tuple("key:1", 1, 5L, 0L), tuple("key:2", 2, 2L, 0L), tuple("key:3", 3, 1L, 0L));
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
        .extracting(HotKey::label, HotKey::count, HotKey::error)
        .containsExactly(tuple("key:1", 2L, 0L), tuple("key:3", 2L, 1L));
  }

  @Test
  void ordersByCountThenLabel() {
    HotKeySketch sketch = new HotKeySketch(8);
    for (long key : new long[] {5, 4, 4, 9, 9, 3}) {
      add(sketch, key);
    }

    assertThat(sketch.top())
        .extracting(HotKey::label)
        .containsExactly("key:4", "key:9", "key:3", "key:5");
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
    assertThat(top.label()).isEqualTo("key:" + hot);
    assertThat(top.count() - top.error()).isLessThanOrEqualTo(hotCount);
    assertThat(top.count()).isGreaterThanOrEqualTo(hotCount);
    assertThat(sketch.total()).isEqualTo(100_000);
  }

  @Test
  void everyTrackedKeysTrueCountLiesWithinItsBounds() {
    int capacity = 50;
    HotKeySketch sketch = new HotKeySketch(capacity);
    Map<String, Long> truth = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    int total = 200_000;
    for (int i = 0; i < total; i++) {
      // Zipf-like: key k with probability about 1/k.
      long key = (long) Math.floor(Math.exp(random.nextDouble() * Math.log(5_000)));
      add(sketch, key);
      truth.merge("key:" + key, 1L, Long::sum);
    }

    List<HotKey> top = sketch.top();
    assertThat(top).hasSize(capacity);
    for (HotKey key : top) {
      long actual = truth.get(key.label());
      assertThat(key.count() - key.error()).as(key.label()).isLessThanOrEqualTo(actual);
      assertThat(key.count()).as(key.label()).isGreaterThanOrEqualTo(actual);
    }
    // Every key above total / capacity is guaranteed a counter.
    List<String> labels = top.stream().map(HotKey::label).toList();
    truth.forEach(
        (label, count) -> {
          if (count > total / capacity) {
            assertThat(labels).contains(label);
          }
        });
    assertThat(truth.get("key:1")).isGreaterThan((long) total / capacity);
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
  void computesALabelOnlyWhenTheKeyTakesACounter() {
    HotKeySketch sketch = new HotKeySketch(2);
    AtomicInteger labelled = new AtomicInteger();
    HotKeySketch.KeyLabel counting =
        () -> {
          labelled.incrementAndGet();
          return "tracked";
        };
    HotKeySketch.KeyLabel never =
        () -> {
          throw new AssertionError("label computed for a key already tracked");
        };

    sketch.add(1, 0, counting);
    for (int i = 0; i < 100; i++) {
      sketch.add(1, 0, never);
    }
    sketch.add(2, 0, counting);
    sketch.add(2, 0, never);

    assertThat(labelled).hasValue(2);
    assertThat(sketch.top()).extracting(HotKey::count).containsExactly(101L, 2L);
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new HotKeySketch(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
