package io.cachelens.agent.cli;

import io.cachelens.agent.CacheLensAgent;
import java.io.PrintStream;
import java.util.List;

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
      out.println("Commands:");
      out.println("  help                                         this text");
      out.println("  version                                      the agent's version");
      out.println("  audit merge <dir-or-file>... [--out <dir>]   merge instances' JSON audits");
      out.println("                                               into one fleet report");
      return 0;
    }
    if (args[0].equals("version") || args[0].equals("--version")) {
      out.println(CacheLensAgent.class.getPackage().getImplementationVersion());
      return 0;
    }
    if (args[0].equals("audit")) {
      if (args.length > 1 && args[1].equals("merge")) {
        return AuditMergeCommand.run(List.of(args).subList(2, args.length), out, err);
      }
      err.println(args.length > 1 ? "unknown audit command: " + args[1] : "audit needs a command");
      err.print(AuditMergeCommand.USAGE);
      return 2;
    }
    err.println("unknown command: " + args[0] + " (try: help)");
    return 2;
  }
}
