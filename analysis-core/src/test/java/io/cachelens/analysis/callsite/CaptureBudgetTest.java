package io.cachelens.analysis.callsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CaptureBudgetTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MILLI = 1_000_000L;

  private static int granted(CaptureBudget budget, long nowNanos, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (budget.tryAcquire(nowNanos)) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void grantsAtMostTheBudgetWithinOneSecond() {
    CaptureBudget budget = new CaptureBudget(3);
    long second = 12_345 * SECOND;

    assertThat(budget.tryAcquire(second)).isTrue();
    assertThat(budget.tryAcquire(second + 400 * MILLI)).isTrue();
    assertThat(budget.tryAcquire(second + 500 * MILLI)).isTrue();
    assertThat(budget.tryAcquire(second + 600 * MILLI)).isFalse();
    assertThat(budget.tryAcquire(second + SECOND - 1)).isFalse();
  }

  @Test
  void theBudgetResetsTheNextSecond() {
    CaptureBudget budget = new CaptureBudget(2);
    long second = 77 * SECOND;

    assertThat(granted(budget, second + SECOND - 1, 10)).isEqualTo(2);
    assertThat(granted(budget, second + SECOND, 10)).isEqualTo(2);
    assertThat(granted(budget, second + 2 * SECOND + 999 * MILLI, 10)).isEqualTo(2);
    // Seconds without a capture in between change nothing.
    assertThat(granted(budget, second + 60 * SECOND, 10)).isEqualTo(2);
  }

  @Test
  void availableTellsWhetherACaptureIsLeftWithoutTakingIt() {
    CaptureBudget budget = new CaptureBudget(2);
    long second = 91 * SECOND;

    assertThat(budget.available(second)).isTrue();
    assertThat(budget.available(second)).isTrue();
    assertThat(budget.tryAcquire(second)).isTrue();
    assertThat(budget.available(second + 1)).isTrue();
    assertThat(budget.tryAcquire(second + 2)).isTrue();
    assertThat(budget.available(second + 3)).isFalse();
    assertThat(budget.available(second + SECOND)).isTrue();
    assertThat(new CaptureBudget(0).available(second)).isFalse();
  }

  @Test
  void aBudgetOfZeroNeverGrants() {
    CaptureBudget budget = new CaptureBudget(0);
    for (long second = 0; second < 5; second++) {
      assertThat(granted(budget, second * SECOND + 1, 3)).isZero();
    }
    assertThat(budget.tryAcquire(-SECOND)).isFalse();
  }

  @Test
  void grantsTheLargestBudget() {
    int largest = (1 << 20) - 1;
    CaptureBudget budget = new CaptureBudget(largest);

    assertThat(granted(budget, 5 * SECOND, largest + 10)).isEqualTo(largest);
    assertThat(budget.tryAcquire(6 * SECOND)).isTrue();
  }

  @Test
  void theFirstSecondsOfTheClockWork() {
    CaptureBudget budget = new CaptureBudget(1);

    assertThat(budget.tryAcquire(0)).isTrue();
    assertThat(budget.tryAcquire(SECOND - 1)).isFalse();
    assertThat(budget.tryAcquire(SECOND)).isTrue();
  }

  @Test
  void negativeReadingsAreSecondsOfTheirOwn() {
    // nanoTime may be negative; -0.5 s and +0.5 s are two seconds apart, not one second.
    CaptureBudget budget = new CaptureBudget(1);

    assertThat(budget.tryAcquire(-1_500 * MILLI)).isTrue();
    assertThat(budget.tryAcquire(-1_100 * MILLI)).isFalse();
    assertThat(budget.tryAcquire(-500 * MILLI)).isTrue();
    assertThat(budget.tryAcquire(-1)).isFalse();
    assertThat(budget.tryAcquire(500 * MILLI)).isTrue();
    assertThat(budget.tryAcquire(999 * MILLI)).isFalse();
  }

  @Test
  void aLateReadingFromThePreviousSecondDoesNotReopenTheCurrentOne() {
    // A thread that read nanoTime just before the second changed and calls after another thread
    // started the new second must not hand the new second a fresh budget.
    CaptureBudget budget = new CaptureBudget(2);
    long second = 100 * SECOND;
    int grantedInNewSecond = granted(budget, second + MILLI, 2);

    budget.tryAcquire(second - 1);
    grantedInNewSecond += granted(budget, second + 2 * MILLI, 5);

    assertThat(grantedInNewSecond).isEqualTo(2);
  }

  @Test
  void rejectsABudgetOutOfRange() {
    assertThatThrownBy(() -> new CaptureBudget(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CaptureBudget(1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
