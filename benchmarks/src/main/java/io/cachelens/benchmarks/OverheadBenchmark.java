package io.cachelens.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Driver: starts a private redis-server, runs every workload under every agent configuration,
 * interleaved and with the configuration order rotated each round, then prints medians, ratios
 * against "no agent" and the pass/fail bars as Markdown (also written to {@code
 * benchmarks/target/overhead.md}).
 *
 * <p>Run it through {@code benchmarks/run.sh}, which builds the classpath, the CacheLens agent and
 * fetches the OpenTelemetry agent. {@code --help} lists the options.
 */
public final class OverheadBenchmark {

  private static final String USAGE =
      String.join(
          "\n",
          "usage: OverheadBenchmark [options]",
          "  --quick               smoke run: 2 rounds, 5k warm-up + 10k timed ops",
          "                        (Lettuce async 10k + 20k)",
          "  --full                10 rounds at the default counts",
          "  --rounds N            rounds (default 5)",
          "  --warmup N / --ops N  warm-up / timed ops for the sync workloads (50,000 / 200,000)",
          "  --async-warmup N / --async-ops N   the same for Lettuce async (100,000 / 500,000)",
          "  --configs A,B,C,D     configurations to run (default all)",
          "  --workloads LIST      " + Workload.ids() + " (default all)",
          "  --jvm-arg ARG         extra JVM option for every workload process (repeatable)",
          "  --java PATH           java for the workload processes (default: this JVM's)",
          "  --redis-server PATH   redis-server binary (default: redis-server on PATH)",
          "  --repo DIR            repository root (default: found from this class's location)",
          "  --cachelens-agent JAR (default <repo>/javaagent/target/cachelens-agent.jar)",
          "  --otel-agent JAR      (default <repo>/benchmarks/target/opentelemetry-javaagent.jar)",
          "  --out FILE            Markdown report (default <repo>/benchmarks/target/overhead.md);",
          "                        every run goes next to it in <name>-runs.csv",
          "  --timeout-s N         kill a workload process after N seconds (default 900)");

  private OverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(64);
      return;
    }
    if (options.help) {
      System.out.println(USAGE);
      return;
    }
    System.exit(new OverheadBenchmark().run(options));
  }

  private volatile Process current;

  private int run(Options options) throws Exception {
    Path repo = options.repo != null ? options.repo : findRepo();
    Path target = repo.resolve("benchmarks/target");
    Path classes = target.resolve("classes");
    Path lib = target.resolve("lib");
    Path cacheLensAgent =
        options.cacheLensAgent != null
            ? options.cacheLensAgent
            : repo.resolve("javaagent/target/cachelens-agent.jar");
    Path otelAgent =
        options.otelAgent != null
            ? options.otelAgent
            : target.resolve("opentelemetry-javaagent.jar");
    Path out = options.out != null ? options.out : target.resolve("overhead.md");

    List<String> missing = new ArrayList<>();
    requireFile(classes.resolve("io/cachelens/benchmarks/JedisWorkload.class"), missing);
    requireFile(lib, missing);
    if (options.configs.stream().anyMatch(AgentSetup::usesCacheLens)) {
      requireFile(cacheLensAgent, missing);
    }
    if (options.configs.contains(AgentSetup.D)) {
      requireFile(otelAgent, missing);
    }
    if (!missing.isEmpty()) {
      System.err.println("missing: " + String.join(", ", missing));
      System.err.println(
          "build with benchmarks/run.sh (or ./mvnw -DskipTests package -pl benchmarks -am and"
              + " -pl javaagent -am), or leave configurations out with --configs A,D");
      return 66;
    }

    Path runDir = target.resolve("overhead-runs");
    deleteRecursively(runDir);
    Path workDir = Files.createDirectories(runDir.resolve("work"));
    String classpath = classes + File.pathSeparator + lib + File.separator + "*";

    List<RunResult> results = new ArrayList<>();
    Instant started = Instant.now();
    String loadAtStart = loadAverage();
    try (SpanSink spanSink = SpanSink.start();
        LocalRedisServer redis =
            LocalRedisServer.start(
                options.redisServer, workDir, runDir.resolve("redis-server.log"))) {
      Thread cleanup =
          new Thread(
              () -> {
                Process process = current;
                if (process != null) {
                  process.destroyForcibly();
                }
                redis.stop();
              },
              "overhead-benchmark-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      String redisVersion = redis.version();
      progress(
          "redis-server %s on %s:%d; %d round(s) of %s × %s; logs in %s",
          redisVersion,
          redis.host(),
          redis.port(),
          options.rounds,
          options.workloads.size(),
          options.configs,
          runDir);

      for (int round = 1; round <= options.rounds; round++) {
        List<AgentSetup> order = new ArrayList<>(options.configs);
        Collections.rotate(order, -(round - 1));
        for (Workload workload : options.workloads) {
          for (AgentSetup config : order) {
            List<String> command = new ArrayList<>();
            command.add(options.java);
            command.addAll(config.jvmArgs(cacheLensAgent, otelAgent, spanSink.endpoint()));
            command.addAll(options.jvmArgs);
            command.add("-Dbench.host=" + redis.host());
            command.add("-Dbench.port=" + redis.port());
            command.add("-Dbench.workload=" + workload.id);
            command.add(
                "-Dbench.warmup=" + (workload.async ? options.asyncWarmup : options.warmup));
            command.add("-Dbench.ops=" + (workload.async ? options.asyncOps : options.ops));
            for (String property : workload.properties) {
              command.add("-D" + property);
            }
            command.add("-cp");
            command.add(classpath);
            command.add(workload.mainClass);

            String name = String.format(Locale.ROOT, "r%02d-%s-%s", round, workload.id, config);
            RunResult result =
                runOne(
                    new RunResult(round, workload, config),
                    command,
                    workDir,
                    runDir.resolve(name + ".out"),
                    runDir.resolve(name + ".err"),
                    options.timeoutSeconds);
            results.add(result);
            progress(
                "[round %d/%d] %-13s %s  %s",
                round, options.rounds, workload.id, config, summary(result));
          }
        }
      }

      String heading =
          heading(options, redisVersion, cacheLensAgent, otelAgent, spanSink.endpoint(), started)
              + "\nLoad average (1/5/15 min) at start "
              + loadAtStart
              + ", at end "
              + loadAverage()
              + ": anything above ~1 besides this benchmark means other work shared the cores.\n";
      OverheadReport report =
          new OverheadReport(results, options.workloads, options.configs, options.rounds);
      String markdown = report.markdown(heading, caveats(results));
      System.out.println();
      System.out.print(markdown);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
      String reportName = out.getFileName().toString().replaceFirst("\\.md$", "");
      Path csv = out.resolveSibling(reportName + "-runs.csv");
      writeCsv(results, csv);
      progress("report written to %s; every run in %s", out, csv);
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    return results.stream().allMatch(RunResult::ok) ? 0 : 2;
  }

  private RunResult runOne(
      RunResult result, List<String> command, Path workDir, Path stdout, Path stderr, int timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    // Nothing from the caller's environment may attach agents or configure them behind our back.
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(OverheadBenchmark::isAgentEnvironment);

    Instant launched = Instant.now();
    Process process = builder.start();
    current = process;
    try {
      if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        result.error = "timed out after " + timeout + " s; see " + stderr;
        return result;
      }
    } finally {
      current = null;
    }

    Map<String, String> firstCommand = null;
    Map<String, String> values = null;
    for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
      if (line.startsWith(WorkloadProbe.MARKER + " first-command ")) {
        firstCommand = fields(line);
      } else if (line.startsWith(WorkloadProbe.MARKER + " result ")) {
        values = fields(line);
      }
    }
    if (process.exitValue() != 0 || firstCommand == null || values == null) {
      result.error =
          "exit status "
              + process.exitValue()
              + ", no result line; see "
              + stderr
              + lastLine(stderr);
      return result;
    }
    try {
      long launchMicros = launched.getEpochSecond() * 1_000_000L + launched.getNano() / 1_000;
      long firstMicros = Long.parseLong(firstCommand.get("epoch_us"));
      result.values.put(Metric.THROUGHPUT, Double.parseDouble(values.get("ops_per_s")));
      result.values.put(Metric.CPU, Double.parseDouble(values.get("cpu_us_per_op")));
      result.values.put(Metric.ALLOCATED, Double.parseDouble(values.get("alloc_bytes_per_op")));
      result.values.put(Metric.STARTUP, (firstMicros - launchMicros) / 1_000.0);
      long rssKb = Long.parseLong(values.get("peak_rss_kb"));
      if (rssKb >= 0) {
        result.values.put(Metric.PEAK_RSS, rssKb / 1024.0);
      }
      result.jvmStartToFirstCommandMs =
          Double.parseDouble(firstCommand.get("jvm_start_to_first_command_ms"));
      result.threadsMissed = Long.parseLong(values.get("threads_missed"));
      if (!result.ok()) {
        result.error = "incomplete result line in " + stdout;
      }
    } catch (RuntimeException e) {
      result.error = "unreadable result line in " + stdout + ": " + e;
    }
    return result;
  }

  private static boolean isAgentEnvironment(String name) {
    return name.equals("JAVA_TOOL_OPTIONS")
        || name.equals("JDK_JAVA_OPTIONS")
        || name.equals("_JAVA_OPTIONS")
        || name.startsWith("OTEL_")
        || name.startsWith("CACHELENS_");
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String token : line.split(" ")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        fields.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    return fields;
  }

  private static String lastLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return " (last line: " + lines.get(i).trim() + ")";
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // no hint then
    }
    return "";
  }

  private static String summary(RunResult result) {
    if (!result.ok()) {
      return "FAILED: " + result.error;
    }
    return String.format(
        Locale.ROOT,
        "%,9.0f ops/s %7.1f µs/op %,7.0f B/op  start %,6.0f ms  RSS %,5.0f MB",
        result.get(Metric.THROUGHPUT),
        result.get(Metric.CPU),
        result.get(Metric.ALLOCATED),
        result.get(Metric.STARTUP),
        result.get(Metric.PEAK_RSS));
  }

  private static String heading(
      Options options,
      String redisVersion,
      Path cacheLensAgent,
      Path otelAgent,
      String spanSink,
      Instant started) {
    String jdk =
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    if (!options.java.equals(defaultJava())) {
      jdk = options.java;
    }
    StringBuilder heading = new StringBuilder();
    heading
        .append(
            String.format(
                Locale.ROOT,
                "%s UTC, %d cores (%s %s), workload JVM %s, redis-server %s on loopback sharing"
                    + " the cores.\n",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                    started.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                jdk,
                redisVersion))
        .append(
            String.format(
                Locale.ROOT,
                "%d interleaved round(s), configuration order rotated each round; warm-up %,d then"
                    + " %,d timed ops (Lettuce async: %,d then %,d).",
                options.rounds,
                options.warmup,
                options.ops,
                options.asyncWarmup,
                options.asyncOps));
    if (!options.jvmArgs.isEmpty()) {
      heading.append(" Extra JVM options: ").append(String.join(" ", options.jvmArgs)).append('.');
    }
    heading.append("\n\n");
    for (AgentSetup config : options.configs) {
      heading.append("- ").append(config).append(" = ").append(config.description);
      if (config.usesCacheLens()) {
        heading.append("; ").append(describeJar(cacheLensAgent));
      } else if (config == AgentSetup.D) {
        heading.append("; ").append(describeJar(otelAgent));
      }
      String args = String.join(" ", config.jvmArgs(cacheLensAgent, otelAgent, spanSink));
      if (!args.isEmpty()) {
        heading.append("; `").append(args).append('`');
      }
      heading.append('\n');
    }
    return heading.toString();
  }

  private static String describeJar(Path jar) {
    String version = "?";
    try (JarFile file = new JarFile(jar.toFile())) {
      if (file.getManifest() != null) {
        String implementation =
            file.getManifest().getMainAttributes().getValue("Implementation-Version");
        if (implementation != null) {
          version = implementation;
        }
      }
      FileTime modified = Files.getLastModifiedTime(jar);
      return String.format(
          Locale.ROOT,
          "%s version %s, %,d bytes, built %s",
          jar.getFileName(),
          version,
          Files.size(jar),
          modified.toInstant().truncatedTo(ChronoUnit.SECONDS));
    } catch (IOException e) {
      return jar.getFileName() + " (unreadable: " + e.getMessage() + ")";
    }
  }

  private static List<String> caveats(List<RunResult> results) {
    long missed = 0;
    for (RunResult result : results) {
      missed = Math.max(missed, result.threadsMissed);
    }
    List<String> caveats = new ArrayList<>();
    caveats.add(
        "Allocated B/op sums ThreadMXBean.getThreadAllocatedBytes over the threads alive at the"
            + " end of the timed phase (including Netty event loops and agent threads); threads"
            + " that ended before the last sample are missed. Most threads any run missed: "
            + missed
            + ".");
    caveats.add(
        "Client CPU µs/op is the whole workload process (JIT, GC and agent background threads"
            + " included) over the timed phase; redis-server's CPU is not counted, but it shares"
            + " the same cores, so throughput on a 2-core machine is sensitive to anything else"
            + " running.");
    caveats.add(
        "Launch → first command is measured from just before the driver starts the process to"
            + " the wall-clock time at which the first SET returned (client creation and connect"
            + " included). Peak RSS is VmHWM at the end of the run, so it includes heap growth"
            + " during the workload, not only the agent's footprint.");
    return caveats;
  }

  private static void writeCsv(List<RunResult> results, Path csv) throws IOException {
    StringBuilder text =
        new StringBuilder(
            "round,workload,config,ok,ops_per_s,cpu_us_per_op,alloc_bytes_per_op,"
                + "launch_to_first_command_ms,jvm_start_to_first_command_ms,peak_rss_mb,"
                + "threads_missed,error\n");
    for (RunResult result : results) {
      text.append(
          String.format(
              Locale.ROOT,
              "%d,%s,%s,%s,%.1f,%.4f,%.2f,%.1f,%.1f,%.1f,%d,%s\n",
              result.round,
              result.workload.id,
              result.config,
              result.ok(),
              result.get(Metric.THROUGHPUT),
              result.get(Metric.CPU),
              result.get(Metric.ALLOCATED),
              result.get(Metric.STARTUP),
              result.jvmStartToFirstCommandMs,
              result.get(Metric.PEAK_RSS),
              result.threadsMissed,
              result.error == null ? "" : '"' + result.error.replace('"', '\'') + '"'));
    }
    Files.writeString(csv, text, StandardCharsets.UTF_8);
  }

  /** The first three fields of /proc/loadavg, or "unknown". */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }

  private static void requireFile(Path path, List<String> missing) {
    if (!Files.exists(path)) {
      missing.add(path.toString());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The repository root: three levels above benchmarks/target/classes, else the working dir. */
  private static Path findRepo() {
    try {
      Path location =
          Path.of(
                  OverheadBenchmark.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toAbsolutePath();
      for (Path dir = location; dir != null; dir = dir.getParent()) {
        if (Files.exists(dir.resolve("benchmarks/pom.xml"))
            && Files.exists(dir.resolve("pom.xml"))) {
          return dir;
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall back to the working directory
    }
    Path cwd = Path.of("").toAbsolutePath();
    return Files.exists(cwd.resolve("benchmarks/pom.xml")) ? cwd : cwd.getParent();
  }

  static String defaultJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Command-line options. */
  static final class Options {
    boolean help;
    int rounds = 5;
    int warmup = 50_000;
    int ops = 200_000;
    int asyncWarmup = 100_000;
    int asyncOps = 500_000;
    List<AgentSetup> configs = List.of(AgentSetup.values());
    List<Workload> workloads = List.of(Workload.values());
    final List<String> jvmArgs = new ArrayList<>();
    String java = defaultJava();
    String redisServer = "redis-server";
    Path repo;
    Path cacheLensAgent;
    Path otelAgent;
    Path out;
    int timeoutSeconds = 900;

    static Options parse(String[] args) {
      Options options = new Options();
      // Presets first, so explicit counts win wherever they appear.
      for (String arg : args) {
        if (arg.equals("--quick")) {
          options.rounds = 2;
          options.warmup = 5_000;
          options.ops = 10_000;
          options.asyncWarmup = 10_000;
          options.asyncOps = 20_000;
        } else if (arg.equals("--full")) {
          options.rounds = 10;
        }
      }
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--quick":
          case "--full":
            break;
          case "-h":
          case "--help":
            options.help = true;
            break;
          case "--rounds":
            options.rounds = positive(arg, value(args, ++i, arg));
            break;
          case "--warmup":
            options.warmup = count(arg, value(args, ++i, arg));
            break;
          case "--ops":
            options.ops = positive(arg, value(args, ++i, arg));
            break;
          case "--async-warmup":
            options.asyncWarmup = count(arg, value(args, ++i, arg));
            break;
          case "--async-ops":
            options.asyncOps = positive(arg, value(args, ++i, arg));
            break;
          case "--configs":
            options.configs = configs(value(args, ++i, arg));
            break;
          case "--workloads":
            options.workloads = workloads(value(args, ++i, arg));
            break;
          case "--jvm-arg":
            options.jvmArgs.add(value(args, ++i, arg));
            break;
          case "--java":
            options.java = value(args, ++i, arg);
            break;
          case "--redis-server":
            options.redisServer = value(args, ++i, arg);
            break;
          case "--repo":
            options.repo = Path.of(value(args, ++i, arg)).toAbsolutePath();
            break;
          case "--cachelens-agent":
            options.cacheLensAgent = Path.of(value(args, ++i, arg)).toAbsolutePath();
            break;
          case "--otel-agent":
            options.otelAgent = Path.of(value(args, ++i, arg)).toAbsolutePath();
            break;
          case "--out":
            options.out = Path.of(value(args, ++i, arg)).toAbsolutePath();
            break;
          case "--timeout-s":
            options.timeoutSeconds = positive(arg, value(args, ++i, arg));
            break;
          default:
            throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      return options;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int count(String option, String text) {
      try {
        int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
        if (value < 0) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a non-negative number, not " + text, e);
      }
    }

    private static int positive(String option, String text) {
      int value = count(option, text);
      if (value == 0) {
        throw new IllegalArgumentException(option + " must be at least 1");
      }
      return value;
    }

    private static List<AgentSetup> configs(String list) {
      List<AgentSetup> configs = new ArrayList<>();
      for (String name : list.split(",")) {
        AgentSetup config = AgentSetup.byName(name);
        if (!configs.contains(config)) {
          configs.add(config);
        }
      }
      if (!configs.contains(AgentSetup.A)) {
        // Every ratio is against A; without it there is nothing to compare.
        configs.add(0, AgentSetup.A);
      }
      Collections.sort(configs);
      return List.copyOf(configs);
    }

    private static List<Workload> workloads(String list) {
      List<Workload> workloads = new ArrayList<>();
      for (String id : list.split(",")) {
        Workload workload = Workload.byId(id.trim());
        if (!workloads.contains(workload)) {
          workloads.add(workload);
        }
      }
      return List.copyOf(workloads);
    }
  }
}
