package io.cachelens.analysis.callsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cachelens.analysis.audit.CallSiteCount;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CallSiteTableTest {
  private static final String CHECKOUT = "com.acme.Checkout.pay(Checkout.java:42)";
  private static final String CART = "com.acme.Cart.load(Cart.java:7)";
  private static final String SEARCH = "com.acme.Search.run(Search.java:99)";

  private static void add(CallSiteTable table, String site, int times) {
    for (int i = 0; i < times; i++) {
      table.add(site);
    }
  }

  @Test
  void countsEachSite() {
    CallSiteTable table = new CallSiteTable(10);
    add(table, CHECKOUT, 3);
    add(table, CART, 5);

    assertThat(table.snapshot())
        .extracting(CallSiteCount::site, CallSiteCount::count)
        .containsExactly(tuple(CART, 5L), tuple(CHECKOUT, 3L));
    assertThat(table.total()).isEqualTo(8);
  }

  @Test
  void ordersByCountDescendingThenByName() {
    CallSiteTable table = new CallSiteTable(10);
    add(table, "c", 2);
    add(table, "b", 2);
    add(table, "a", 1);
    add(table, "d", 7);

    assertThat(table.snapshot())
        .extracting(CallSiteCount::site, CallSiteCount::count)
        .containsExactly(tuple("d", 7L), tuple("b", 2L), tuple("c", 2L), tuple("a", 1L));
  }

  @Test
  void countsSitesBeyondCapacityAsOtherListedLast() {
    CallSiteTable table = new CallSiteTable(2);
    add(table, CHECKOUT, 2);
    add(table, CART, 1);
    add(table, SEARCH, 3);
    add(table, "com.acme.Late.run(Late.java:1)", 4);
    // Sites already tracked keep counting once the table is full.
    add(table, CART, 2);

    assertThat(table.snapshot())
        .extracting(CallSiteCount::site, CallSiteCount::count)
        .containsExactly(tuple(CART, 3L), tuple(CHECKOUT, 2L), tuple(CallSiteCount.OTHER, 7L));
    assertThat(table.total()).isEqualTo(12);
  }

  @Test
  void listsNoOtherWhenNothingOverflowed() {
    CallSiteTable table = new CallSiteTable(2);
    add(table, CHECKOUT, 1);
    add(table, CART, 1);

    assertThat(table.snapshot())
        .extracting(CallSiteCount::site)
        .containsExactly(CART, CHECKOUT)
        .doesNotContain(CallSiteCount.OTHER);
  }

  @Test
  void anEmptyTableHasAnEmptySnapshot() {
    CallSiteTable table = new CallSiteTable(1);
    assertThat(table.snapshot()).isEmpty();
    assertThat(table.total()).isZero();
  }

  @Test
  void snapshotsAreCopies() {
    CallSiteTable table = new CallSiteTable(4);
    add(table, CART, 1);
    List<CallSiteCount> before = table.snapshot();
    add(table, CART, 1);

    assertThat(before).containsExactly(new CallSiteCount(CART, 1));
    assertThat(table.snapshot()).containsExactly(new CallSiteCount(CART, 2));
  }

  @Test
  void rejectsACapacityBelowOne() {
    assertThatThrownBy(() -> new CallSiteTable(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void racingThreadsNeverTrackMoreThanTheCapacityAndLoseNoCount() throws Exception {
    int capacity = 16;
    int threads = 8;
    int perThread = 20_000;
    for (int round = 0; round < 20; round++) {
      CallSiteTable table = new CallSiteTable(capacity);
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Thread worker =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    // Every thread races to add new sites while the table fills.
                    table.add("site-" + ((i % 64) * threads + thread));
                  }
                });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join();
      }

      List<CallSiteCount> snapshot = table.snapshot();
      assertThat(snapshot.stream().filter(site -> !site.site().equals(CallSiteCount.OTHER)))
          .hasSizeLessThanOrEqualTo(capacity);
      assertThat(snapshot.stream().mapToLong(CallSiteCount::count).sum())
          .isEqualTo((long) threads * perThread);
      assertThat(table.total()).isEqualTo((long) threads * perThread);
    }
  }
}
