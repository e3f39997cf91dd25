package io.cachelens.analysis.callsite;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Allows at most a fixed number of stack captures per second, so that walking stacks for call sites
 * costs a bounded share of the service's time however often the event happens. Lock-free.
 */
public final class CaptureBudget {
  private static final int TAKEN_BITS = 20;
  private static final long TAKEN_MASK = (1L << TAKEN_BITS) - 1;
  private static final long SECOND_MASK = (1L << (64 - TAKEN_BITS)) - 1;

  private final int perSecond;
  // The second (nanoTime / 1e9, rounded down, modulo 2^44) and the captures taken in it, packed:
  // second << 20 | taken. 0 until the first capture (taken is at least 1 afterwards).
  private final AtomicLong state = new AtomicLong();

  /** A budget of {@code perSecond} captures per second, at most 2^20 - 1. */
  public CaptureBudget(int perSecond) {
    if (perSecond < 0 || perSecond >= 1 << 20) {
      throw new IllegalArgumentException("perSecond out of range: " + perSecond);
    }
    this.perSecond = perSecond;
  }

  /**
   * True when {@link #tryAcquire} would likely succeed now (another thread may take the last
   * capture first); counts nothing. Lets a caller skip costly preparation when the budget is spent.
   */
  public boolean available(long nowNanos) {
    if (perSecond == 0) {
      return false;
    }
    long second = Math.floorDiv(nowNanos, 1_000_000_000L) & SECOND_MASK;
    long current = state.get();
    long ahead = ((second - (current >>> TAKEN_BITS)) << TAKEN_BITS) >> TAKEN_BITS;
    return current == 0 || ahead > 0 || (current & TAKEN_MASK) < perSecond;
  }

  /** True when a capture may be taken now; counts it. */
  public boolean tryAcquire(long nowNanos) {
    if (perSecond == 0) {
      return false;
    }
    // Rounded down: nanoTime may be negative, and -0.5 s is not in the second of +0.5 s.
    long second = Math.floorDiv(nowNanos, 1_000_000_000L) & SECOND_MASK;
    for (int attempt = 0; attempt < 4; attempt++) {
      long current = state.get();
      // How many seconds the reading is past the state's, sign-extended from 44 bits.
      long ahead = ((second - (current >>> TAKEN_BITS)) << TAKEN_BITS) >> TAKEN_BITS;
      long next;
      if (current == 0 || ahead > 0) {
        next = second << TAKEN_BITS | 1;
      } else if ((current & TAKEN_MASK) < perSecond) {
        // This second, or a late reading from an earlier one (a thread that read nanoTime before
        // another started this second): it counts against this second rather than reopening an
        // old one, which would give the next caller of this second a fresh budget.
        next = current + 1;
      } else {
        return false;
      }
      if (state.compareAndSet(current, next)) {
        return true;
      }
    }
    return false;
  }
}
