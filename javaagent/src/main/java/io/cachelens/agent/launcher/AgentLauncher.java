package io.cachelens.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Locale;
import java.util.jar.JarFile;

/**
 * The agent's entry point: the only class an old JVM ever loads, so it is compiled for Java 8 and
 * refers to nothing else in the agent until it has checked the JVM and the kill switch.
 *
 * <p>It then appends the agent jar to the bootstrap class path before any other agent class is
 * loaded, and starts the real agent reflectively. From there the event API resolves from advice
 * inlined into any class loader, and the agent's own classes (all under {@code io.cachelens}, its
 * dependencies relocated) load without the verification the JVM applies to application class
 * loaders, which halves the agent's start-up cost.
 */
public final class AgentLauncher {
  static final int MINIMUM_JAVA = 17;
  private static final String AGENT_CLASS = "io.cachelens.agent.CacheLensAgent";
  private static volatile boolean started;

  private AgentLauncher() {}

  /** Called by the JVM for {@code -javaagent}. */
  public static void premain(String arguments, Instrumentation instrumentation) {
    launch(arguments, instrumentation, false);
  }

  /** Called by the JVM when the agent is attached to a running process. */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    launch(arguments, instrumentation, true);
  }

  /** The command-line tool: {@code java -jar cachelens-agent.jar ...}. */
  public static void main(String[] args) throws Exception {
    int feature = javaFeatureVersion(System.getProperty("java.specification.version"));
    if (feature < MINIMUM_JAVA) {
      System.err.println(unsupportedJvmMessage(feature));
      System.exit(2);
    }
    Class<?> cli = Class.forName("io.cachelens.agent.cli.CacheLensCli");
    Method run = cli.getMethod("run", String[].class);
    Object code = run.invoke(null, (Object) args);
    System.exit((Integer) code);
  }

  private static synchronized void launch(
      String arguments, Instrumentation instrumentation, boolean lateAttach) {
    try {
      if (started) {
        log("already running; ignoring a second -javaagent or attach");
        return;
      }
      int feature = javaFeatureVersion(System.getProperty("java.specification.version"));
      if (feature < MINIMUM_JAVA) {
        log(unsupportedJvmMessage(feature));
        return;
      }
      if (!enabled()) {
        log("disabled by cachelens.enabled=false; the service runs without it");
        return;
      }
      File agentJar = agentJar();
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
      started = true;
      Class<?> agent = Class.forName(AGENT_CLASS, true, AgentLauncher.class.getClassLoader());
      Method start =
          agent.getMethod("start", String.class, Instrumentation.class, boolean.class, File.class);
      start.invoke(null, arguments, instrumentation, lateAttach, agentJar);
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      log("failed to start, the service runs without it: " + cause);
    }
  }

  static String unsupportedJvmMessage(int feature) {
    return "needs Java "
        + MINIMUM_JAVA
        + " or newer but runs on Java "
        + feature
        + "; the service runs without it";
  }

  /** The feature release of a {@code java.specification.version} value ("1.8" is 8, "17" is 17). */
  static int javaFeatureVersion(String specificationVersion) {
    if (specificationVersion == null) {
      return -1;
    }
    String version = specificationVersion.trim();
    if (version.startsWith("1.")) {
      version = version.substring(2);
    }
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    if (end == 0) {
      return -1;
    }
    try {
      return Integer.parseInt(version.substring(0, end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The kill switch, read before anything else so a disabled agent costs nothing. */
  static boolean enabled() {
    String value = System.getProperty("cachelens.enabled");
    if (value == null) {
      value = System.getenv("CACHELENS_ENABLED");
    }
    return value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false");
  }

  private static File agentJar() throws Exception {
    URL location = AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation();
    return new File(location.toURI());
  }

  private static void log(String message) {
    System.err.println("[cachelens] " + message);
  }
}
