package io.cachelens.instrumentation.api;

/** Bit flags that qualify a completed command. */
public final class CommandFlags {
  /**
   * Sent by the client or its pool on its own behalf (handshake, validation PING), not by the
   * service.
   */
  public static final int INTERNAL = 1;

  /** Sent in a pipeline (Jedis {@code Pipeline}, Lettuce with auto-flush off). */
  public static final int PIPELINED = 2;

  /** Queued between MULTI and EXEC. */
  public static final int TRANSACTION = 4;

  /**
   * Completed on another thread than the one that sent it; the caller's context came from capture.
   */
  public static final int ASYNC = 8;

  private CommandFlags() {}
}
