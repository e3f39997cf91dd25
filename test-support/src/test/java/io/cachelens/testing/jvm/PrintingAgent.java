package io.cachelens.testing.jvm;

/** A stand-in agent for AgentJvm tests: prints its arguments from {@code premain}. */
public final class PrintingAgent {

  private PrintingAgent() {}

  /** Agent entry point. */
  public static void premain(String arguments) {
    System.out.println("premain ran with " + arguments);
  }
}
