package io.cachelens.testing.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on a free loopback port, in its own temporary directory.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder().config("maxmemory 10mb").start()) {
 *   redis.client().command("SET", "k", "v");
 * }
 * }</pre>
 *
 * <p>The binary is taken from the system property {@value #BINARY_PROPERTY}, else the environment
 * variable {@value #BINARY_ENV}, else {@code redis-server} on the {@code PATH}. The generated
 * config ({@link #configFile()}) sets {@code port}, {@code bind 127.0.0.1}, {@code dir}, {@code
 * save ""}, {@code appendonly no}, {@code logfile} ({@link #logFile()}), {@code daemonize no} and
 * {@code repl-diskless-sync-delay 0} (so replicas sync at once); extra lines come from {@link
 * Builder#config(String)}. If {@code requirepass} is among them, {@link #client()} and {@link
 * #newClient} authenticate with it. A JVM shutdown hook kills every server still running and
 * deletes every directory this class created, so processes never outlive the test JVM.
 *
 * <p>{@link #stop()} and {@link #kill()} end the process but keep the directory (so the log can
 * still be read) and the port, so {@link #start()} can bring the server back on the same port;
 * {@link #close()} stops it and deletes the directory.
 */
public final class RedisServer implements AutoCloseable {

  /** System property naming the {@code redis-server} binary to run. */
  public static final String BINARY_PROPERTY = "cachelens.redis.server";

  /** Environment variable naming the {@code redis-server} binary to run. */
  public static final String BINARY_ENV = "CACHELENS_REDIS_SERVER";

  private static final String HOST = "127.0.0.1";
  private static final int PORT_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 40;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private static final Set<RedisServer> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RedisServer::reapAll, "cachelens-redis-server-reaper"));
  }

  private final Path binary;
  private final List<String> configLines;
  private final Duration startupTimeout;
  private final String password;

  private Path directory;
  private int port;
  private Process process;
  private boolean paused;
  private RespClient sharedClient;

  private RedisServer(Builder builder) {
    this.binary = builder.binary != null ? builder.binary : locateBinary();
    this.configLines = List.copyOf(builder.configLines);
    this.startupTimeout = builder.startupTimeout;
    this.password = findPassword(configLines);
  }

  /** Returns a builder for a server with the default configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the process and waits until it answers. The first start picks a free port (retrying on a
   * new port if another process grabs it first); a later start, after {@link #stop()} or {@link
   * #kill()}, reuses the same port and directory.
   *
   * @return this server
   * @throws IllegalStateException when the server does not come up; the message holds the log tail
   */
  public synchronized RedisServer start() {
    if (isRunning()) {
      throw new IllegalStateException(this + " is already running");
    }
    try {
      if (directory == null) {
        directory = Files.createTempDirectory("cachelens-redis-");
        DIRECTORIES.add(directory);
      }
      if (port != 0) {
        launch(port, false);
        return this;
      }
      for (int attempt = 1; ; attempt++) {
        int candidate = freePort();
        if (launch(candidate, attempt < PORT_ATTEMPTS)) {
          return this;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not start redis-server " + binary, e);
    }
  }

  /** The host the server listens on: always {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** The port the server listens on; 0 before the first {@link #start()}. */
  public synchronized int port() {
    return port;
  }

  /** A connection URI such as {@code redis://127.0.0.1:34567} (without credentials). */
  public String uri() {
    return "redis://" + HOST + ":" + port();
  }

  /** The password from a {@code requirepass} config line, if one was given. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * A client shared by all callers of this method, authenticated when {@code requirepass} is
   * configured, with {@link RespClient#DEFAULT_TIMEOUT}. It reconnects by itself after a restart;
   * do not close it ({@link #close()} does). Note that it shows up in {@code CLIENT LIST} once
   * used.
   */
  public synchronized RespClient client() {
    if (sharedClient == null) {
      sharedClient = newClient(RespClient.DEFAULT_TIMEOUT);
    }
    return sharedClient;
  }

  /** A new client with the given connect/read timeout, owned (and closed) by the caller. */
  public RespClient newClient(Duration timeout) {
    return new RespClient(HOST, port(), timeout, password);
  }

  /** The server's temporary working directory (also its {@code dir}). */
  public synchronized Path directory() {
    if (directory == null) {
      throw new IllegalStateException("server has not been started yet");
    }
    return directory;
  }

  /** The server's log file ({@code logfile} in the generated config). */
  public Path logFile() {
    return directory().resolve("redis.log");
  }

  /** The generated config file. */
  public Path configFile() {
    return directory().resolve("redis.conf");
  }

  /** The process id of the running server. */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException("server has not been started yet");
    }
    return process.pid();
  }

  /** Whether the process is alive (a paused process counts as running). */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Whether {@link #pause()} was called without a matching {@link #resume()}. */
  public synchronized boolean isPaused() {
    return paused && isRunning();
  }

  /**
   * Stops the server cleanly: {@code SHUTDOWN NOSAVE}, then SIGTERM, then SIGKILL if it still runs,
   * waiting for the process to exit. Does nothing when it is not running.
   */
  public synchronized void stop() {
    if (!isRunning()) {
      RUNNING.remove(this);
      return;
    }
    if (paused) {
      resume();
    }
    try (RespClient shutdown = new RespClient(HOST, port, Duration.ofSeconds(2), password)) {
      shutdown.callExpectingDisconnect("SHUTDOWN", "NOSAVE");
    } catch (RuntimeException ignored) {
      // the process is signalled below anyway
    }
    if (!waitForExit(STOP_GRACE)) {
      process.destroy();
      if (!waitForExit(STOP_GRACE)) {
        killProcess();
      }
    }
    RUNNING.remove(this);
  }

  /** Kills the server with SIGKILL (no shutdown, like a crash) and waits for it to exit. */
  public synchronized void kill() {
    if (process != null) {
      killProcess();
    }
    paused = false;
    RUNNING.remove(this);
  }

  /**
   * Freezes the process with SIGSTOP: connections stay open and accepted, but nothing is answered
   * until {@link #resume()}.
   */
  public synchronized void pause() {
    signal("STOP");
    paused = true;
  }

  /** Lets a paused process run again with SIGCONT. */
  public synchronized void resume() {
    signal("CONT");
    paused = false;
  }

  /** The last {@code lines} lines of the server log and of its console output. */
  public synchronized String logTail(int lines) {
    if (directory == null) {
      return "(server never started)";
    }
    StringBuilder text = new StringBuilder();
    appendTail(text, "redis.log", directory.resolve("redis.log"), lines);
    appendTail(text, "console", directory.resolve("redis.out"), lines);
    return text.toString();
  }

  /** Stops the server and deletes its directory. */
  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      if (sharedClient != null) {
        sharedClient.close();
        sharedClient = null;
      }
      if (directory != null) {
        deleteRecursively(directory);
        DIRECTORIES.remove(directory);
        directory = null;
      }
    }
  }

  @Override
  public String toString() {
    return "RedisServer[" + HOST + ":" + port + (directory == null ? "" : ", " + directory) + "]";
  }

  /**
   * Launches the process on {@code candidate} and waits for it.
   *
   * @return false when the port was taken and {@code mayRetry}; true when the server is up
   */
  private boolean launch(int candidate, boolean mayRetry) throws IOException {
    Path log = directory.resolve("redis.log");
    Path console = directory.resolve("redis.out");
    Files.deleteIfExists(log);
    Files.deleteIfExists(console);
    Path config = directory.resolve("redis.conf");
    Files.write(config, configText(candidate), StandardCharsets.UTF_8);
    ProcessBuilder builder =
        new ProcessBuilder(binary.toString(), config.toString())
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(console.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    Process started = builder.start();
    started.getOutputStream().close();
    process = started;
    port = candidate;
    paused = false;
    RUNNING.add(this);
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      if (!started.isAlive()) {
        RUNNING.remove(this);
        String tail = logTail(LOG_TAIL_LINES);
        if (mayRetry && tail.contains("Address already in use")) {
          port = 0;
          return false;
        }
        throw new IllegalStateException(
            "redis-server exited with code "
                + started.exitValue()
                + " while starting on port "
                + candidate
                + " ("
                + binary
                + ")\n"
                + tail);
      }
      if (answersAsThisProcess(candidate, started.pid())) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        killProcess();
        RUNNING.remove(this);
        throw new IllegalStateException(
            "redis-server did not answer PING on "
                + HOST
                + ":"
                + candidate
                + " within "
                + startupTimeout
                + " ("
                + binary
                + ")\n"
                + logTail(LOG_TAIL_LINES));
      }
      sleep(20);
    }
  }

  /**
   * True when the server on the port answers and is this process (another server could have won a
   * race for the port), judged by {@code INFO server}'s {@code process_id}.
   */
  private boolean answersAsThisProcess(int candidate, long pid) {
    try (RespClient probe = new RespClient(HOST, candidate, Duration.ofMillis(500), password)) {
      String info = probe.command("INFO", "server");
      return info != null && info.contains("process_id:" + pid + "\r\n");
    } catch (RespException e) {
      // An auth error means it is up but our password guess is wrong: good enough if it is alive.
      String code = e.errorCode();
      return (code.equals("NOAUTH") || code.equals("WRONGPASS")) && process.isAlive();
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private List<String> configText(int serverPort) {
    List<String> lines = new ArrayList<>();
    lines.add("# generated by CacheLens test-support");
    lines.add("port " + serverPort);
    lines.add("bind " + HOST);
    lines.add("dir " + quote(directory.toString()));
    lines.add("save \"\"");
    lines.add("appendonly no");
    lines.add("logfile " + quote(directory.resolve("redis.log").toString()));
    lines.add("daemonize no");
    // Replicas would otherwise wait 5 s before their first full sync.
    lines.add("repl-diskless-sync-delay 0");
    lines.addAll(configLines);
    return lines;
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private void signal(String signal) {
    if (!isRunning()) {
      throw new IllegalStateException(this + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(
            "kill -" + signal + " " + process.pid() + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kill -" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal, e);
    }
  }

  private void killProcess() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private static void reapAll() {
    for (RedisServer server : RUNNING) {
      Process p = server.process;
      if (p != null) {
        p.destroyForcibly();
      }
    }
    for (RedisServer server : RUNNING) {
      Process p = server.process;
      if (p != null) {
        try {
          p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (Path dir : DIRECTORIES) {
      deleteRecursively(dir);
    }
  }

  private static void appendTail(StringBuilder text, String label, Path file, int lines) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (all.isEmpty()) {
        return;
      }
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      text.append("--- ").append(label).append(" (").append(file).append(") ---\n");
      tail.forEach(line -> text.append(line).append('\n'));
    } catch (IOException | UncheckedIOException e) {
      text.append("--- ").append(label).append(": unreadable: ").append(e).append('\n');
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a temp directory left behind is not worth failing a test for
    }
  }

  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        int candidate = socket.getLocalPort();
        if (candidate != 6379) {
          return candidate;
        }
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  private static String findPassword(List<String> lines) {
    String found = null;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.regionMatches(true, 0, "requirepass ", 0, "requirepass ".length())) {
        String value = trimmed.substring("requirepass ".length()).trim();
        if (value.length() >= 2
            && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        found = value.isEmpty() ? null : value;
      }
    }
    return found;
  }

  /** Finds the binary: system property, then environment variable, then the {@code PATH}. */
  static Path locateBinary() {
    String configured = System.getProperty(BINARY_PROPERTY);
    String source = "system property " + BINARY_PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(BINARY_ENV);
      source = "environment variable " + BINARY_ENV;
    }
    if (configured != null && !configured.isBlank()) {
      Path path = Paths.get(configured);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(source + " names " + path + ", which is not executable");
      }
      return path;
    }
    String pathVariable = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String entry : pathVariable.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Paths.get(entry, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "redis-server was not found on the PATH; install Redis or name the binary with -D"
            + BINARY_PROPERTY
            + "=... or the "
            + BINARY_ENV
            + " environment variable");
  }

  /** Configures a {@link RedisServer} before it starts. */
  public static final class Builder {
    private final List<String> configLines = new ArrayList<>();
    private Duration startupTimeout = Duration.ofSeconds(10);
    private Path binary;

    private Builder() {}

    /**
     * Appends a line to the generated config, such as {@code "maxmemory 10mb"}, {@code "requirepass
     * secret"} or {@code "replicaof 127.0.0.1 6380"}. A line with embedded newlines adds several
     * lines. Lines come after the defaults, so they can override them.
     */
    public Builder config(String line) {
      configLines.addAll(Arrays.asList(Objects.requireNonNull(line, "line").split("\\R")));
      return this;
    }

    /** Appends several config lines; see {@link #config(String)}. */
    public Builder config(List<String> lines) {
      lines.forEach(this::config);
      return this;
    }

    /** How long {@link RedisServer#start()} waits for the server to answer; 10 s by default. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Uses this {@code redis-server} binary instead of looking one up. */
    public Builder binary(Path redisServerBinary) {
      this.binary = Objects.requireNonNull(redisServerBinary, "redisServerBinary");
      return this;
    }

    /** The config lines added so far. */
    public List<String> configLines() {
      return Collections.unmodifiableList(configLines);
    }

    /** Creates the server without starting it. */
    public RedisServer build() {
      return new RedisServer(this);
    }

    /** Creates and starts the server. */
    public RedisServer start() {
      return build().start();
    }
  }
}
