package io.cachelens.testing.jvm;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Forks a JVM, by default under the CacheLens agent, and captures its output.
 *
 * <pre>{@code
 * AgentJvm.Result result =
 *     AgentJvm.builder()
 *         .mainClass("com.example.Scenario")
 *         .classpath(Classpaths.clientLibrary("jedis-8.0.2"))
 *         .addClasspath(Classpaths.testClasses())
 *         .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
 *         .args(redis.uri())
 *         .run();
 * assertEquals(0, result.exitCode(), result::toString);
 * }</pre>
 *
 * <p>The child's environment is a copy of this JVM's minus every variable that could change how the
 * child or the agent behaves behind the test's back: {@code OTEL_*}, {@code CACHELENS_*}, {@code
 * JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS} and {@code CLASSPATH}; then
 * the variables set with {@link Builder#env}. Forked processes still running when this JVM exits
 * are killed by a shutdown hook.
 */
public final class AgentJvm {

  /** System property naming the {@code java} executable to fork. */
  public static final String JAVA_PROPERTY = "cachelens.test.java";

  /** System property naming the agent jar. */
  public static final String AGENT_JAR_PROPERTY = "cachelens.agent.jar";

  private static final List<String> REMOVED_PREFIXES = List.of("OTEL_", "CACHELENS_");
  private static final Set<String> REMOVED_NAMES =
      Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH");
  private static final Duration PUMP_JOIN = Duration.ofSeconds(10);
  private static final Duration DESTROY_GRACE = Duration.ofSeconds(10);

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "cachelens-agent-jvm-reaper"));
  }

  private AgentJvm() {}

  /**
   * Returns a builder; nothing is forked until {@link Builder#run()} or {@link Builder#start()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The environment a child gets from {@code parent} with {@code overrides} applied: variables
   * {@code OTEL_*}, {@code CACHELENS_*}, {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
   * {@code _JAVA_OPTIONS} and {@code CLASSPATH} are dropped from the parent's; an override with a
   * null value removes the variable.
   */
  static Map<String, String> hermeticEnvironment(
      Map<String, String> parent, Map<String, String> overrides) {
    Map<String, String> env = new TreeMap<>();
    parent.forEach(
        (name, value) -> {
          if (!isRemoved(name)) {
            env.put(name, value);
          }
        });
    overrides.forEach(
        (name, value) -> {
          if (value == null) {
            env.remove(name);
          } else {
            env.put(name, value);
          }
        });
    return Collections.unmodifiableMap(env);
  }

  private static boolean isRemoved(String name) {
    if (REMOVED_NAMES.contains(name)) {
      return true;
    }
    for (String prefix : REMOVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Configures a forked JVM. */
  public static final class Builder {
    private Path java;
    private Path agentJar;
    private boolean withAgent = true;
    private String agentArguments;
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<Path> classpath = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private Path workingDirectory;
    private Duration timeout = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * The {@code java} executable; by default the system property {@value AgentJvm#JAVA_PROPERTY},
     * else {@code ${java.home}/bin/java}.
     */
    public Builder java(Path javaExecutable) {
      this.java = Objects.requireNonNull(javaExecutable, "javaExecutable");
      return this;
    }

    /** The agent jar; by default the system property {@value AgentJvm#AGENT_JAR_PROPERTY}. */
    public Builder agentJar(Path jar) {
      this.agentJar = Objects.requireNonNull(jar, "jar");
      this.withAgent = true;
      return this;
    }

    /** Options passed to the agent, as in {@code -javaagent:agent.jar=<options>}. */
    public Builder agentArguments(String options) {
      this.agentArguments = options;
      return this;
    }

    /** Runs the JVM without any agent. */
    public Builder withoutAgent() {
      this.withAgent = false;
      return this;
    }

    /** The class whose {@code main} runs. Required. */
    public Builder mainClass(String className) {
      this.mainClass = Objects.requireNonNull(className, "className");
      return this;
    }

    /** Appends program arguments. */
    public Builder args(String... programArgs) {
      args.addAll(Arrays.asList(programArgs));
      return this;
    }

    /** Appends program arguments. */
    public Builder args(List<String> programArgs) {
      args.addAll(programArgs);
      return this;
    }

    /** Replaces the class path. */
    public Builder classpath(List<Path> entries) {
      classpath.clear();
      classpath.addAll(entries);
      return this;
    }

    /** Appends one class path entry. */
    public Builder addClasspath(Path entry) {
      classpath.add(Objects.requireNonNull(entry, "entry"));
      return this;
    }

    /** Appends class path entries. */
    public Builder addClasspath(List<Path> entries) {
      classpath.addAll(entries);
      return this;
    }

    /** Passes {@code -Dname=value}. */
    public Builder systemProperty(String name, String value) {
      systemProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value));
      return this;
    }

    /** Sets an environment variable for the child; a null value removes it. */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name, "name"), value);
      return this;
    }

    /** Sets several environment variables for the child. */
    public Builder env(Map<String, String> variables) {
      variables.forEach(this::env);
      return this;
    }

    /** Appends a JVM option such as {@code -Xmx256m}; it goes before the agent option. */
    public Builder jvmArg(String option) {
      jvmArgs.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** The child's working directory; by default this JVM's. */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** How long {@link #run()} and {@link RunningJvm#waitFor()} wait; 2 minutes by default. */
    public Builder timeout(Duration limit) {
      this.timeout = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The timeout {@link #run()} uses. */
    public Duration timeout() {
      return timeout;
    }

    /** The environment the child will get; see {@link AgentJvm}. */
    public Map<String, String> environment() {
      return hermeticEnvironment(System.getenv(), env);
    }

    /**
     * The full command line.
     *
     * @throws IllegalStateException when the main class, the java executable or the agent jar is
     *     missing
     */
    public List<String> command() {
      if (mainClass == null) {
        throw new IllegalStateException("AgentJvm needs a mainClass(...)");
      }
      List<String> command = new ArrayList<>();
      command.add(resolveJava().toString());
      command.addAll(jvmArgs);
      if (withAgent) {
        Path jar = resolveAgentJar();
        command.add("-javaagent:" + jar + (agentArguments == null ? "" : "=" + agentArguments));
      }
      systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
      if (!classpath.isEmpty()) {
        command.add("-cp");
        command.add(
            classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
      }
      command.add(mainClass);
      command.addAll(args);
      return Collections.unmodifiableList(command);
    }

    /**
     * Forks the JVM with stdin closed and waits for it to exit.
     *
     * @throws AssertionError when it does not exit within the timeout; it is then killed (after a
     *     thread dump via SIGQUIT) and the message holds its output
     */
    public Result run() {
      RunningJvm running = launch(true);
      return running.waitFor();
    }

    /** Forks the JVM and returns at once; stdin stays open (see {@link RunningJvm#stdin()}). */
    public RunningJvm start() {
      return launch(false);
    }

    private RunningJvm launch(boolean closeStdin) {
      List<String> command = command();
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().clear();
      builder.environment().putAll(environment());
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not fork " + String.join(" ", command), e);
      }
      LIVE.add(process);
      process.onExit().thenRun(() -> LIVE.remove(process));
      RunningJvm running = new RunningJvm(process, command, timeout);
      if (closeStdin) {
        try {
          process.getOutputStream().close();
        } catch (IOException ignored) {
          // the child may already be gone
        }
      }
      return running;
    }

    private Path resolveJava() {
      Path path = java;
      if (path == null) {
        String configured = System.getProperty(JAVA_PROPERTY);
        path =
            configured != null && !configured.isBlank()
                ? Paths.get(configured)
                : Paths.get(System.getProperty("java.home"), "bin", "java");
      }
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException("java executable " + path + " does not exist");
      }
      return path;
    }

    private Path resolveAgentJar() {
      Path path = agentJar;
      if (path == null) {
        String configured = System.getProperty(AGENT_JAR_PROPERTY);
        if (configured == null || configured.isBlank()) {
          throw new IllegalStateException(
              "no agent jar: set the system property "
                  + AGENT_JAR_PROPERTY
                  + ", call agentJar(...), or call withoutAgent()");
        }
        path = Paths.get(configured);
      }
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            "agent jar "
                + path
                + " does not exist: run mvn package first (mvn -pl javaagent -am package)");
      }
      return path;
    }
  }

  /** What a forked JVM printed and how it exited. */
  public static final class Result {
    private static final int TO_STRING_LIMIT = 20_000;

    private final List<String> command;
    private final int exitCode;
    private final String stdout;
    private final String stderr;
    private final String output;
    private final Duration duration;

    Result(
        List<String> command,
        int exitCode,
        String stdout,
        String stderr,
        String output,
        Duration duration) {
      this.command = command;
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.output = output;
      this.duration = duration;
    }

    /** The process's exit code. */
    public int exitCode() {
      return exitCode;
    }

    /** Everything written to stdout. */
    public String stdout() {
      return stdout;
    }

    /** Everything written to stderr. */
    public String stderr() {
      return stderr;
    }

    /** Stdout and stderr interleaved line by line in the order they were read. */
    public String output() {
      return output;
    }

    /** The command line that was run. */
    public List<String> command() {
      return command;
    }

    /** How long the process ran. */
    public Duration duration() {
      return duration;
    }

    /**
     * Returns this result when the exit code is 0.
     *
     * @throws AssertionError otherwise, with {@link #toString()} as the message
     */
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(toString());
      }
      return this;
    }

    /** The exit code, duration, command line and both streams, for assertion messages. */
    @Override
    public String toString() {
      return "forked JVM exited with code "
          + exitCode
          + " after "
          + duration.toMillis()
          + " ms\ncommand: "
          + String.join(" ", command)
          + "\n--- stdout ---\n"
          + tail(stdout)
          + "\n--- stderr ---\n"
          + tail(stderr)
          + "\n--- end ---";
    }

    private static String tail(String text) {
      if (text.length() <= TO_STRING_LIMIT) {
        return text;
      }
      return "... ("
          + (text.length() - TO_STRING_LIMIT)
          + " chars cut) ...\n"
          + text.substring(text.length() - TO_STRING_LIMIT);
    }
  }

  /** A forked JVM that is (or was) running; closing it destroys the process if still alive. */
  public static final class RunningJvm implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Duration timeout;
    private final OutputCollector collector = new OutputCollector();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private final long startNanos = System.nanoTime();

    RunningJvm(Process process, List<String> command, Duration timeout) {
      this.process = process;
      this.command = command;
      this.timeout = timeout;
      this.stdoutPump = pump(process.getInputStream(), false, "stdout");
      this.stderrPump = pump(process.getErrorStream(), true, "stderr");
    }

    /** The child's process id. */
    public long pid() {
      return process.pid();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
      return process.isAlive();
    }

    /** The child's stdin, for interactive scenarios. */
    public OutputStream stdin() {
      return process.getOutputStream();
    }

    /** Stdout so far. */
    public String stdout() {
      return collector.stdout();
    }

    /** Stderr so far. */
    public String stderr() {
      return collector.stderr();
    }

    /** Both streams so far, interleaved by line. */
    public String output() {
      return collector.output();
    }

    /**
     * Waits until stdout or stderr contains {@code substring}.
     *
     * @throws AssertionError on timeout or when the child exits first, with its output so far
     */
    public void awaitOutput(String substring, Duration limit) {
      if (!collector.await(substring, limit)) {
        String why =
            collector.finished()
                ? "the JVM ended (exit code " + exitCodeOrNone() + ") without printing"
                : "the JVM did not print within " + limit;
        throw new AssertionError(
            why
                + " \""
                + substring
                + "\"\ncommand: "
                + String.join(" ", command)
                + "\n--- output so far ---\n"
                + collector.output());
      }
    }

    /**
     * Waits for the child to exit, up to the builder's timeout.
     *
     * @throws AssertionError on timeout; the child is then killed after a thread dump
     */
    public Result waitFor() {
      return waitFor(timeout);
    }

    /**
     * Waits for the child to exit, up to {@code limit}.
     *
     * @throws AssertionError on timeout; the child is then killed after a thread dump
     */
    public Result waitFor(Duration limit) {
      if (!awaitExit(limit)) {
        requestThreadDump();
        process.destroyForcibly();
        awaitExit(DESTROY_GRACE);
        throw new AssertionError(
            "forked JVM did not exit within " + limit + "; killed it\n" + result());
      }
      return result();
    }

    /**
     * Asks the child to exit (SIGTERM, so shutdown hooks such as exporters' flushes run), waits up
     * to 10 s, then kills it if needed, and returns how it ended.
     */
    public Result destroy() {
      if (process.isAlive()) {
        process.destroy();
        if (!awaitExit(DESTROY_GRACE)) {
          process.destroyForcibly();
          awaitExit(DESTROY_GRACE);
        }
      }
      return result();
    }

    /** Kills the child at once (SIGKILL) and returns how it ended. */
    public Result kill() {
      process.destroyForcibly();
      awaitExit(DESTROY_GRACE);
      return result();
    }

    /** Destroys the child if it is still running; see {@link #destroy()}. */
    @Override
    public void close() {
      destroy();
    }

    @Override
    public String toString() {
      return "RunningJvm[pid "
          + process.pid()
          + (process.isAlive() ? ", running" : ", exited")
          + "]";
    }

    private Result result() {
      joinPumps();
      return new Result(
          command,
          process.isAlive() ? -1 : process.exitValue(),
          collector.stdout(),
          collector.stderr(),
          collector.output(),
          Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private String exitCodeOrNone() {
      return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    private boolean awaitExit(Duration limit) {
      try {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new AssertionError("interrupted while waiting for the forked JVM", e);
      }
    }

    private void joinPumps() {
      long deadline = System.nanoTime() + PUMP_JOIN.toNanos();
      for (Thread pump : List.of(stdoutPump, stderrPump)) {
        try {
          pump.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void requestThreadDump() {
      try {
        Process quit =
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        quit.getInputStream().readAllBytes();
        quit.waitFor(5, TimeUnit.SECONDS);
        process.waitFor(1, TimeUnit.SECONDS);
      } catch (IOException e) {
        // no thread dump then
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private Thread pump(InputStream stream, boolean isStderr, String label) {
      Thread thread =
          new Thread(
              () -> {
                char[] buffer = new char[8192];
                try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                  int read;
                  while ((read = reader.read(buffer)) >= 0) {
                    collector.append(isStderr, buffer, read);
                  }
                } catch (IOException ignored) {
                  // the stream closes when the process dies
                } finally {
                  collector.finish(isStderr);
                }
              },
              "cachelens-jvm-" + process.pid() + "-" + label);
      thread.setDaemon(true);
      thread.start();
      return thread;
    }
  }

  /** Collects both streams, and a line-interleaved combination of them. */
  private static final class OutputCollector {
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final StringBuilder combined = new StringBuilder();
    private final StringBuilder stdoutLine = new StringBuilder();
    private final StringBuilder stderrLine = new StringBuilder();
    private int finishedStreams;

    synchronized void append(boolean isStderr, char[] chars, int length) {
      (isStderr ? stderr : stdout).append(chars, 0, length);
      StringBuilder line = isStderr ? stderrLine : stdoutLine;
      for (int i = 0; i < length; i++) {
        line.append(chars[i]);
        if (chars[i] == '\n') {
          combined.append(line);
          line.setLength(0);
        }
      }
      notifyAll();
    }

    synchronized void finish(boolean isStderr) {
      StringBuilder line = isStderr ? stderrLine : stdoutLine;
      if (line.length() > 0) {
        combined.append(line).append('\n');
        line.setLength(0);
      }
      finishedStreams++;
      notifyAll();
    }

    synchronized boolean finished() {
      return finishedStreams == 2;
    }

    synchronized String stdout() {
      return stdout.toString();
    }

    synchronized String stderr() {
      return stderr.toString();
    }

    synchronized String output() {
      StringBuilder text = new StringBuilder(combined);
      if (stdoutLine.length() > 0) {
        text.append(stdoutLine).append('\n');
      }
      if (stderrLine.length() > 0) {
        text.append(stderrLine).append('\n');
      }
      return text.toString();
    }

    synchronized boolean await(String substring, Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (true) {
        if (stdout.indexOf(substring) >= 0 || stderr.indexOf(substring) >= 0) {
          return true;
        }
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (finishedStreams == 2 || remainingMillis <= 0) {
          return false;
        }
        try {
          wait(remainingMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }
}
