package io.cachelens.agent.cli;

import io.cachelens.agent.CacheLensAgent;
import java.io.PrintStream;

/** The command line of the agent jar: {@code java -jar cachelens-agent.jar <command>}. */
public final class CacheLensCli {
  private CacheLensCli() {}

  /** Runs a command and returns the process exit code. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      out.println("CacheLens " + CacheLensAgent.class.getPackage().getImplementationVersion());
      out.println("Attach to a service: java -javaagent:cachelens-agent.jar -jar service.jar");
      out.println("Commands: help, version");
      return 0;
    }
    if (args[0].equals("version") || args[0].equals("--version")) {
      out.println(CacheLensAgent.class.getPackage().getImplementationVersion());
      return 0;
    }
    err.println("unknown command: " + args[0] + " (try: help)");
    return 2;
  }
}
