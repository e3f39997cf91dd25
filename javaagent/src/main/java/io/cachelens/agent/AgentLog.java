package io.cachelens.agent;

/** The agent's few log lines: to standard error, prefixed, never through the service's logging. */
public final class AgentLog {
  private AgentLog() {}

  public static void info(String message) {
    System.err.println("[cachelens] " + message);
  }
}
