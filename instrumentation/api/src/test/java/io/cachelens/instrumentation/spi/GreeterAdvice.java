package io.cachelens.instrumentation.spi;

import net.bytebuddy.asm.Advice;

/** Counts greetings in an added field and marks the reply, so the test can see it ran. */
final class GreeterAdvice {
  private GreeterAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(
      @Advice.FieldValue(value = "cachelens$greetings", readOnly = false) int greetings,
      @Advice.Return(readOnly = false) String reply) {
    greetings = greetings + 1;
    reply = reply + "!";
  }
}
