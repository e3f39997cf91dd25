package io.cachelens.testing.jvm;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Main class the AgentJvm tests fork. Arguments are steps run in order: {@code out <text>}, {@code
 * err <text>}, {@code prop <name>}, {@code env <name>}, {@code flood <bytes>}, {@code echo-stdin},
 * {@code sleep <millis>}, {@code exit <code>}.
 */
public final class ForkedMain {

  private ForkedMain() {}

  /** Runs the steps. */
  public static void main(String[] args) throws Exception {
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "out":
          System.out.println(args[++i]);
          break;
        case "err":
          System.err.println(args[++i]);
          break;
        case "prop":
          System.out.println("prop " + args[i + 1] + "=" + System.getProperty(args[++i]));
          break;
        case "env":
          System.out.println("env " + args[i + 1] + "=" + System.getenv(args[++i]));
          break;
        case "flood":
          flood(Integer.parseInt(args[++i]));
          break;
        case "echo-stdin":
          BufferedReader in =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          System.out.println("waiting for stdin");
          System.out.println("stdin said " + in.readLine());
          break;
        case "sleep":
          Thread.sleep(Long.parseLong(args[++i]));
          break;
        case "exit":
          System.out.flush();
          System.err.flush();
          System.exit(Integer.parseInt(args[++i]));
          break;
        default:
          throw new IllegalArgumentException("unknown step " + args[i]);
      }
    }
  }

  private static void flood(int bytes) {
    String line = "x".repeat(99);
    for (int written = 0; written < bytes; written += 100) {
      System.out.println(line);
      System.err.println(line);
    }
    System.out.flush();
    System.err.flush();
  }
}
