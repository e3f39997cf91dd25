package io.cachelens.instrumentation.spi;

import net.bytebuddy.asm.Advice;

/**
 * Advice for {@link WarmUpTarget}: binds what the modules' advice binds, so it warms the same code.
 */
final class WarmUpAdvice {
  static final String CALLS = "cachelens$calls";
  static final String STATE = "cachelens$state";

  private WarmUpAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static long enter(@Advice.This Object self, @Advice.Argument(0) Object argument) {
    return argument == null ? 0L : System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(
      @Advice.Enter long start,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(value = CALLS, readOnly = false) int calls,
      @Advice.FieldValue("state") Object state) {
    if (thrown == null && start != 0L && state == null) {
      calls = calls + 1;
    }
  }
}
