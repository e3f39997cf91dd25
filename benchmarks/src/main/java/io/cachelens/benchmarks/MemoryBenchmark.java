package io.cachelens.benchmarks;

import io.cachelens.benchmarks.memory.AuditCheck;
import io.cachelens.benchmarks.memory.MemoryWorkload;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Memory-bound harness: runs {@link MemoryWorkload} (10 million distinct keys over 100,000 distinct
 * prefixes, connections that are never closed) once without an agent and once per CacheLens
 * configuration, against a private redis-server kept small by {@code maxmemory} and {@code
 * allkeys-lru}, and reports the live heap after a full GC at each checkpoint: with the agent minus
 * without. It then checks that each run's audit JSON is valid and agrees with what the workload
 * sent. Markdown on stdout and in {@code benchmarks/target/memory.md}, every checkpoint in {@code
 * memory.csv}. Exit status 0 when every run finished, every audit check held and each agent
 * configuration stayed within its stated bound and flat once its tables settled; 2 when a run or a
 * check failed; 3 when only a bound or a plateau did not hold.
 *
 * <p>Run it through {@code benchmarks/memory.sh}; {@code --help} lists the options.
 */
public final class MemoryBenchmark {

  /**
   * The stated bound on what the agent adds to the live heap, per connection the service holds
   * open, in KiB (about 0.7 KB measured for an idle Jedis connection; a connection that sent
   * pipelines keeps a ring of up to 1,024 pending entries, about 20 KB, until it is dropped).
   */
  static final double BOUND_KIB_PER_CONNECTION = 1;

  /** How much the agent's share may still move after the first interval, in MiB (GC noise). */
  static final double PLATEAU_TOLERANCE_MIB = 1;

  static final int VALUE_BYTES = 16;

  private static final String USAGE =
      String.join(
          "\n",
          "usage: MemoryBenchmark [options]",
          "  --keys N              distinct keys, one command each (default 10,000,000)",
          "  --prefixes N          distinct literal prefixes tenant<letters>:cart:* (100,000)",
          "  --checkpoints N       checkpoints after the start (default 10: every keys/10)",
          "  --connections N       connections opened after the start and kept open (2,000)",
          "  --abandoned N         connections opened and dropped unclosed per checkpoint (200)",
          "  --batch N             commands per pipeline (1,000)",
          "  --client NAME         jedis (Pipeline) or lettuce (async, auto-flush off); default"
              + " jedis",
          "  --configs A,B,C       A no agent, B CacheLens at defaults, C CacheLens with"
              + " cachelens.prefix.limit=65536 (default A,B,C; A is always run)",
          "  --heap SIZE           -Xmx of the workload JVMs (default 512m; SerialGC)",
          "  --redis-maxmemory S   maxmemory of the redis-server (default 256mb, allkeys-lru;",
          "                        its thousands of idle clients hold ~40 KB of buffers each)",
          "  --jvm-arg ARG         extra JVM option for every workload process (repeatable)",
          "  --java PATH           java for the workload processes (default: this JVM's)",
          "  --redis-server PATH   redis-server binary (default: redis-server on PATH)",
          "  --repo DIR            repository root (default: the working directory)",
          "  --agent JAR           CacheLens agent (default <repo>/javaagent/target/cachelens-agent.jar)",
          "  --out FILE            Markdown report (default <repo>/benchmarks/target/memory.md)",
          "  --timeout-s N         kill a workload process after N seconds (default 1800)",
          "exit status: 0 all held; 2 a run or an audit JSON check failed; 3 a bound or plateau"
              + " did not hold");

  /** What is attached to a workload JVM. */
  enum Config {
    A("no agent"),
    B("CacheLens at defaults (cachelens.prefix.limit=256)"),
    C(
        "CacheLens with cachelens.prefix.limit=65536, the largest accepted: the prefix and"
            + " command tables at their worst case");

    final String description;

    Config(String description) {
      this.description = description;
    }

    boolean agent() {
      return this != A;
    }

    int prefixLimit() {
      return this == C ? 65_536 : 256;
    }

    /**
     * The stated bound on what the agent adds to the live heap, in MiB, besides {@link
     * #BOUND_KIB_PER_CONNECTION}: about 3 MiB of fixed state, the command table's at most 5,121
     * cells of about 3.6 KB (18 MiB), 1 MiB of audit tables (the 512 KB expiry table, hot keys,
     * call sites), and for C about 10 MiB for 65,534 prefix names.
     */
    double boundMib() {
      return this == C ? 36 : 24;
    }

    List<String> jvmArgs(Path agent, Path reports) {
      List<String> args = new ArrayList<>();
      if (agent()) {
        args.add("-javaagent:" + agent);
        args.add("-Dmem.agent=true");
        args.add("-Dcachelens.report.dir=" + reports);
        args.add("-Dotel.service.name=memory-bench");
      }
      if (this == C) {
        args.add("-Dcachelens.prefix.limit=65536");
      }
      return args;
    }
  }

  /** One checkpoint line of a workload. */
  record Checkpoint(
      long keys,
      long liveBytes,
      long agentBytes,
      long agentInstances,
      long rssKb,
      int connectionsOpen,
      int abandoned,
      boolean reportInProgress,
      double elapsedSeconds) {}

  /** One workload process. */
  static final class Run {
    final Config config;
    final List<Checkpoint> checkpoints = new ArrayList<>();
    Map<String, String> done;
    Map<String, String> exitReport;
    List<AuditCheck.Result> checks = List.of();
    final List<String> agentLines = new ArrayList<>();
    String error;
    boolean boundHeld = true;
    long largestReportBytes;

    Run(Config config) {
      this.config = config;
    }

    boolean ok() {
      return error == null && done != null && checks.stream().allMatch(AuditCheck.Result::ok);
    }

    Checkpoint at(long keys) {
      for (Checkpoint checkpoint : checkpoints) {
        if (checkpoint.keys() == keys) {
          return checkpoint;
        }
      }
      return null;
    }
  }

  private MemoryBenchmark() {}

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
    System.exit(new MemoryBenchmark().run(options));
  }

  private volatile Process current;

  private int run(Options options) throws Exception {
    Path repo = options.repo != null ? options.repo : Path.of("").toAbsolutePath();
    Path target = repo.resolve("benchmarks/target");
    Path classes = target.resolve("classes");
    Path lib = target.resolve("lib");
    Path agent =
        options.agent != null
            ? options.agent
            : repo.resolve("javaagent/target/cachelens-agent.jar");
    Path out = options.out != null ? options.out : target.resolve("memory.md");
    List<String> missing = new ArrayList<>();
    for (Path required :
        List.of(classes.resolve("io/cachelens/benchmarks/memory/MemoryWorkload.class"), lib)) {
      if (!Files.exists(required)) {
        missing.add(required.toString());
      }
    }
    if (options.configs.stream().anyMatch(Config::agent) && !Files.isRegularFile(agent)) {
      missing.add(agent.toString());
    }
    if (!missing.isEmpty()) {
      System.err.println(
          "missing: " + String.join(", ", missing) + "; build with benchmarks/memory.sh");
      return 66;
    }

    Path runDir = target.resolve("memory-runs");
    deleteRecursively(runDir);
    Path workDir = Files.createDirectories(runDir.resolve("work"));
    String classpath = classes + File.pathSeparator + lib + File.separator + "*";
    long checkpointEvery = Math.max(1, options.keys / options.checkpoints);

    Instant started = Instant.now();
    String loadAtStart = loadAverage();
    List<Run> runs = new ArrayList<>();
    String redisVersion;
    try (LocalRedisServer redis =
        LocalRedisServer.start(options.redisServer, workDir, runDir.resolve("redis-server.log"))) {
      Thread cleanup =
          new Thread(
              () -> {
                Process process = current;
                if (process != null) {
                  process.destroyForcibly();
                }
                redis.stop();
              },
              "memory-benchmark-cleanup");
      Runtime.getRuntime().addShutdownHook(cleanup);
      redis.command("CONFIG", "SET", "maxmemory", options.redisMaxmemory);
      redis.command("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
      redisVersion = redis.version();
      progress(
          "redis-server %s on %s:%d (maxmemory %s, allkeys-lru); %,d keys over %,d prefixes,"
              + " %s, configurations %s; logs in %s",
          redisVersion,
          redis.host(),
          redis.port(),
          options.redisMaxmemory,
          options.keys,
          options.prefixes,
          options.client,
          options.configs,
          runDir);
      for (Config config : options.configs) {
        // Every run starts from an empty server: the workload checks its replies (GET nil,
        // INCR 1), which keys left by the previous run would change.
        redis.command("FLUSHALL");
        Path reports = runDir.resolve(config + "-reports");
        List<String> command = new ArrayList<>();
        command.add(options.java);
        command.add("-Xms64m");
        command.add("-Xmx" + options.heap);
        command.add("-XX:+UseSerialGC");
        command.addAll(config.jvmArgs(agent, reports));
        command.addAll(options.jvmArgs);
        command.add("-Dmem.host=" + redis.host());
        command.add("-Dmem.port=" + redis.port());
        command.add("-Dmem.client=" + options.client);
        command.add("-Dmem.keys=" + options.keys);
        command.add("-Dmem.prefixes=" + options.prefixes);
        command.add("-Dmem.connections=" + options.connections);
        command.add("-Dmem.abandoned=" + options.abandoned);
        command.add("-Dmem.checkpoint=" + checkpointEvery);
        command.add("-Dmem.batch=" + options.batch);
        command.add("-cp");
        command.add(classpath);
        command.add(MemoryWorkload.class.getName());
        progress("[%s] %s", config, config.description);
        Run run =
            runOne(
                new Run(config),
                command,
                workDir,
                runDir.resolve(config + ".out"),
                runDir.resolve(config + ".err"),
                options.timeoutSeconds);
        if (run.error == null && config.agent()) {
          Path json = reports.resolve("memory-bench.json");
          run.checks = AuditCheck.check(json, run.done, config.prefixLimit(), VALUE_BYTES);
          for (String extension : List.of("json", "md", "html")) {
            Path file = reports.resolve("memory-bench." + extension);
            if (Files.isRegularFile(file)) {
              run.largestReportBytes = Math.max(run.largestReportBytes, Files.size(file));
            }
          }
        }
        runs.add(run);
        progress("[%s] %s", config, summary(run));
      }
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }

    String markdown =
        report(options, runs, redisVersion, agent, started, loadAtStart, loadAverage());
    System.out.println();
    System.out.print(markdown);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown, StandardCharsets.UTF_8);
    Path csv = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + ".csv");
    writeCsv(runs, csv);
    progress("report written to %s and %s", out, csv);
    if (!runs.stream().allMatch(Run::ok)) {
      return 2;
    }
    return runs.stream().allMatch(run -> run.boundHeld) ? 0 : 3;
  }

  private Run runOne(
      Run run, List<String> command, Path workDir, Path stdout, Path stderr, int timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("_JAVA_OPTIONS")
                    || name.startsWith("OTEL_")
                    || name.startsWith("CACHELENS_"));
    Process process = builder.start();
    current = process;
    // Progress lines of the workload go to its stderr file; echo them as they come.
    Thread echo = echo(stderr, process, run.config);
    try {
      if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        run.error = "timed out after " + timeout + " s; see " + stderr;
      }
    } finally {
      current = null;
      echo.interrupt();
      echo.join(2_000);
    }
    for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
      if (line.startsWith(MemoryWorkload.MARKER + " checkpoint ")) {
        Map<String, String> f = fields(line);
        run.checkpoints.add(
            new Checkpoint(
                Long.parseLong(f.get("keys")),
                Long.parseLong(f.get("live_bytes")),
                Long.parseLong(f.get("agent_bytes")),
                Long.parseLong(f.get("agent_instances")),
                Long.parseLong(f.get("rss_kb")),
                Integer.parseInt(f.get("connections_open")),
                Integer.parseInt(f.get("connections_abandoned")),
                Boolean.parseBoolean(f.get("report_in_progress")),
                Double.parseDouble(f.get("elapsed_s"))));
      } else if (line.startsWith(MemoryWorkload.MARKER + " done ")) {
        run.done = fields(line);
      } else if (line.startsWith(MemoryWorkload.MARKER + " exit-report ")) {
        run.exitReport = fields(line);
      }
    }
    for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
      if (line.startsWith("[cachelens]")) {
        run.agentLines.add(line);
        if (line.contains("internal failures")) {
          run.error = "the agent caught internal failures: " + line;
        }
      }
    }
    if (run.error == null && (process.exitValue() != 0 || run.done == null)) {
      run.error = "exit status " + process.exitValue() + ", no done line; see " + stderr;
    }
    return run;
  }

  private static Thread echo(Path stderr, Process process, Config config) {
    Thread thread =
        new Thread(
            () -> {
              long position = 0;
              try {
                while (true) {
                  boolean alive = process.isAlive();
                  long size = Files.size(stderr);
                  if (size > position) {
                    byte[] bytes = Files.readAllBytes(stderr);
                    String text =
                        new String(
                            bytes, (int) position, (int) (size - position), StandardCharsets.UTF_8);
                    int end = text.lastIndexOf('\n');
                    if (end >= 0) {
                      for (String line : text.substring(0, end).split("\n")) {
                        if (line.startsWith("[memory]")) {
                          progress("[%s] %s", config, line.substring(9));
                        }
                      }
                      position +=
                          text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
                    }
                  }
                  if (!alive) {
                    return;
                  }
                  Thread.sleep(500);
                }
              } catch (IOException | InterruptedException e) {
                // stop echoing
              }
            },
            "memory-benchmark-echo");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  // ---- report ----

  private static String report(
      Options options,
      List<Run> runs,
      String redisVersion,
      Path agent,
      Instant started,
      String loadAtStart,
      String loadAtEnd) {
    StringBuilder md = new StringBuilder();
    md.append("# CacheLens memory bound\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%s UTC, %d cores, %s %s, redis-server %s (maxmemory %s, allkeys-lru) on loopback."
                + " Load average at start %s, at end %s.\n\n",
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                started.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"),
            redisVersion,
            options.redisMaxmemory,
            loadAtStart,
            loadAtEnd));
    md.append(
        String.format(
            Locale.ROOT,
            "Workload (%s): %,d distinct keys `tenant<letters>:cart:<n>` over %,d distinct literal"
                + " prefixes, one command per key in pipelines of %,d (70%% GET of absent keys, 10%%"
                + " SET without TTL, 10%% INCR, 10%% EXPIRE of the INCR's key); %,d connections"
                + " opened after the start and kept open, %,d more opened and dropped unclosed at"
                + " each checkpoint; no connection is ever closed. Workload JVM `-Xms64m -Xmx%s"
                + " -XX:+UseSerialGC`%s.\n\n",
            options.client,
            options.keys,
            options.prefixes,
            options.batch,
            options.connections,
            options.abandoned,
            options.heap,
            options.jvmArgs.isEmpty() ? "" : " " + String.join(" ", options.jvmArgs)));
    for (Run run : runs) {
      md.append("- ").append(run.config).append(" = ").append(run.config.description);
      if (run.config.agent()) {
        md.append(" (`").append(agent.getFileName()).append("`)");
      }
      md.append('\n');
    }
    md.append(
        "\nLive heap = total of `GC.class_histogram` (which runs a full GC first) at each"
            + " checkpoint; io.cachelens.* = the part of it in instances of the agent's classes"
            + " (arrays the agent owns are counted as `long[]`, `byte[]` ... and only show in the"
            + " difference). RSS is VmRSS of the workload process after that GC.\n\n");

    Run baseline = find(runs, Config.A);
    List<Run> agents = runs.stream().filter(r -> r.config.agent()).toList();
    if (baseline == null || baseline.checkpoints.isEmpty()) {
      md.append("**No baseline run (A) finished: nothing to compare.**\n\n");
    } else {
      md.append("| keys sent | connections open (+ dropped) | A live heap MiB |");
      for (Run run : agents) {
        md.append(' ')
            .append(run.config)
            .append(" live heap MiB | **")
            .append(run.config)
            .append(" − A MiB** | ")
            .append(run.config)
            .append(" io.cachelens.* MiB |");
      }
      md.append(" RSS MiB ")
          .append(String.join(" → ", runs.stream().map(r -> r.config.toString()).toList()))
          .append(" |\n");
      md.append("|---:|---:|---:|");
      md.append("---:|---:|---:|".repeat(agents.size()));
      md.append("---:|\n");
      for (Checkpoint base : baseline.checkpoints) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %,d | %,d (+%,d) | %.1f |",
                base.keys(),
                base.connectionsOpen(),
                base.abandoned(),
                mib(base.liveBytes())));
        for (Run run : agents) {
          Checkpoint point = run.at(base.keys());
          if (point == null) {
            md.append(" – | – | – |");
          } else {
            md.append(
                String.format(
                    Locale.ROOT,
                    " %.1f | **%+.2f**%s | %.2f |",
                    mib(point.liveBytes()),
                    mib(point.liveBytes() - base.liveBytes()),
                    point.reportInProgress() ? " †" : "",
                    mib(point.agentBytes())));
          }
        }
        List<String> rss = new ArrayList<>();
        for (Run run : runs) {
          Checkpoint point = run.at(base.keys());
          rss.add(point == null ? "–" : String.format(Locale.ROOT, "%.0f", point.rssKb() / 1024.0));
        }
        md.append(' ').append(String.join(" → ", rss)).append(" |\n");
      }
      Checkpoint last = baseline.checkpoints.get(baseline.checkpoints.size() - 1);
      md.append("| at exit, while the final audit is written | | |");
      for (Run run : agents) {
        long peak = exitPeak(run);
        if (peak <= 0) {
          md.append(" – | – | – |");
        } else {
          md.append(
              String.format(
                  Locale.ROOT,
                  " %.1f | **%+.2f** † | %.2f |",
                  mib(peak),
                  mib(peak - last.liveBytes()),
                  mib(Long.parseLong(run.exitReport.get("max_agent_bytes")))));
        }
      }
      md.append(" |\n\n");
      md.append(
          "† the agent was assembling and writing its audit (every 60 s, and at exit) when the"
              + " histogram was taken: the heap then also holds the report being written. The"
              + " exit row is the largest of back-to-back histograms taken during the final"
              + " report, against A's last checkpoint.\n\n");
      for (Run run : agents) {
        Verdict verdict = verdict(baseline, run, 10L * options.prefixes);
        md.append(verdict.line());
        run.boundHeld = verdict.ok();
      }
    }

    for (Run run : runs) {
      md.append("\n### ").append(run.config).append(": ");
      if (run.error != null) {
        md.append("FAILED — ").append(run.error).append('\n');
      } else if (run.done != null) {
        md.append(
            String.format(
                Locale.ROOT,
                "%,d commands in %s s (GET %,d, SET %,d, INCR %,d,"
                    + " EXPIRE %,d, PING %,d), %s connections kept open, %s dropped unclosed\n",
                Long.parseLong(run.done.get("commands")),
                run.done.get("elapsed_s"),
                Long.parseLong(run.done.get("GET")),
                Long.parseLong(run.done.get("SET")),
                Long.parseLong(run.done.get("INCR")),
                Long.parseLong(run.done.get("EXPIRE")),
                Long.parseLong(run.done.get("PING")),
                run.done.get("connections_kept"),
                run.done.get("connections_abandoned")));
      }
      if (!run.checks.isEmpty()) {
        md.append("\n| audit JSON check | result | detail |\n|---|---|---|\n");
        for (AuditCheck.Result check : run.checks) {
          md.append("| ")
              .append(check.name())
              .append(" | ")
              .append(check.ok() ? "ok" : "**FAILED**")
              .append(" | ")
              .append(check.detail().replace("|", "\\|").replace("\n", " "))
              .append(" |\n");
        }
      }
      for (String line : run.agentLines) {
        md.append("\n    ").append(line).append('\n');
      }
    }
    return md.toString();
  }

  /**
   * The bound, plateau and report lines for one agent configuration. The bound is on the agent's
   * tables: checkpoints taken while it was writing a report are judged apart, as that report's
   * transient. The tables settle once every prefix has met every command, by {@code 10 * prefixes}
   * keys; from there on only a leak could move the difference.
   */
  private static Verdict verdict(Run baseline, Run run, long settledAt) {
    double max = Double.NEGATIVE_INFINITY;
    double lastSteady = Double.NaN;
    boolean bounded = true;
    List<Double> settled = new ArrayList<>();
    for (Checkpoint base : baseline.checkpoints) {
      Checkpoint point = run.at(base.keys());
      if (point == null || point.reportInProgress()) {
        continue;
      }
      double delta = mib(point.liveBytes() - base.liveBytes());
      max = Math.max(max, delta);
      lastSteady = delta;
      double bound =
          run.config.boundMib() + BOUND_KIB_PER_CONNECTION * point.connectionsOpen() / 1024.0;
      bounded &= delta <= bound;
      if (base.keys() >= settledAt && base.keys() > 0) {
        settled.add(delta);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return new Verdict("- " + run.config + ": no checkpoint to compare.\n", false);
    }
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "- %s − A, the agent's tables: at most %.2f MiB (bound %.0f MiB + %.0f KiB per"
                    + " open connection: %s)",
                run.config,
                max,
                run.config.boundMib(),
                BOUND_KIB_PER_CONNECTION,
                bounded ? "holds" : "**EXCEEDED**"));
    boolean flat = false;
    if (settled.size() < 2) {
      line.append(
          String.format(
              Locale.ROOT,
              "; too few checkpoints after the tables settle (%,d keys) to judge a plateau.",
              settledAt));
    } else {
      double settledMax = settled.stream().max(Comparator.naturalOrder()).orElseThrow();
      double settledMin = settled.stream().min(Comparator.naturalOrder()).orElseThrow();
      flat = settledMax - settledMin <= PLATEAU_TOLERANCE_MIB;
      line.append(
          String.format(
              Locale.ROOT,
              "; from %,d keys (every prefix has met every command) to the last checkpoint it"
                  + " stays within %.2f MiB (%.2f to %.2f, last minus first %+.2f MiB): %s.",
              settledAt,
              settledMax - settledMin,
              settledMin,
              settledMax,
              settled.get(settled.size() - 1) - settled.get(0),
              flat
                  ? "flat (≤ " + PLATEAU_TOLERANCE_MIB + " MiB)"
                  : "**still moving by more than " + PLATEAU_TOLERANCE_MIB + " MiB**"));
    }
    long peak = exitPeak(run);
    if (peak > 0 && !Double.isNaN(lastSteady)) {
      Checkpoint last = baseline.checkpoints.get(baseline.checkpoints.size() - 1);
      double transientMib = mib(peak - last.liveBytes()) - lastSteady;
      line.append(
          String.format(
              Locale.ROOT,
              " Writing the final audit added %.2f MiB on top while it ran (largest report file"
                  + " %.2f MiB).",
              transientMib,
              mib(run.largestReportBytes)));
    }
    line.append('\n');
    // Too short a run to judge the plateau is no failure of it.
    return new Verdict(line.toString(), bounded && (flat || settled.size() < 2));
  }

  /** The largest live heap seen while the final audit was written, or 0 if none was caught. */
  private static long exitPeak(Run run) {
    if (run.exitReport == null || Long.parseLong(run.exitReport.get("caught")) == 0) {
      return 0;
    }
    return Long.parseLong(run.exitReport.get("max_live_bytes"));
  }

  /** A bound and plateau line, and whether both held. */
  record Verdict(String line, boolean ok) {}

  private static Run find(List<Run> runs, Config config) {
    return runs.stream().filter(r -> r.config == config).findFirst().orElse(null);
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static void writeCsv(List<Run> runs, Path csv) throws IOException {
    StringBuilder text =
        new StringBuilder(
            "config,keys,live_bytes,agent_bytes,agent_instances,rss_kb,connections_open,"
                + "connections_abandoned,elapsed_s\n");
    for (Run run : runs) {
      for (Checkpoint c : run.checkpoints) {
        text.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%d,%d,%d,%d,%d,%.1f%n",
                run.config,
                c.keys(),
                c.liveBytes(),
                c.agentBytes(),
                c.agentInstances(),
                c.rssKb(),
                c.connectionsOpen(),
                c.abandoned(),
                c.elapsedSeconds()));
      }
    }
    Files.writeString(csv, text, StandardCharsets.UTF_8);
  }

  private static String summary(Run run) {
    if (!run.ok()) {
      if (run.error != null) {
        return "FAILED: " + run.error;
      }
      long failed = run.checks.stream().filter(c -> !c.ok()).count();
      return "audit JSON: " + failed + " check(s) FAILED";
    }
    return "done in "
        + run.done.get("elapsed_s")
        + " s"
        + (run.checks.isEmpty() ? "" : "; audit JSON: " + run.checks.size() + " checks ok");
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

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " / " + parts[1] + " / " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void progress(String format, Object... args) {
    System.err.println("[memory] " + String.format(Locale.ROOT, format, args));
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

  static final class Options {
    boolean help;
    long keys = 10_000_000L;
    int prefixes = 100_000;
    int checkpoints = 10;
    int connections = 2_000;
    int abandoned = 200;
    int batch = 1_000;
    String client = "jedis";
    List<Config> configs = List.of(Config.values());
    String heap = "512m";
    String redisMaxmemory = "256mb";
    final List<String> jvmArgs = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String redisServer = "redis-server";
    Path repo;
    Path agent;
    Path out;
    int timeoutSeconds = 1_800;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "-h", "--help" -> options.help = true;
          case "--keys" -> options.keys = number(arg, value(args, ++i, arg), 1);
          case "--prefixes" -> options.prefixes = (int) number(arg, value(args, ++i, arg), 1);
          case "--checkpoints" -> options.checkpoints = (int) number(arg, value(args, ++i, arg), 2);
          case "--connections" -> options.connections = (int) number(arg, value(args, ++i, arg), 0);
          case "--abandoned" -> options.abandoned = (int) number(arg, value(args, ++i, arg), 0);
          case "--batch" -> options.batch = (int) number(arg, value(args, ++i, arg), 1);
          case "--client" -> {
            options.client = value(args, ++i, arg);
            if (!options.client.equals("jedis") && !options.client.equals("lettuce")) {
              throw new IllegalArgumentException("--client is jedis or lettuce");
            }
          }
          case "--configs" -> options.configs = configs(value(args, ++i, arg));
          case "--heap" -> options.heap = value(args, ++i, arg);
          case "--redis-maxmemory" -> options.redisMaxmemory = value(args, ++i, arg);
          case "--jvm-arg" -> options.jvmArgs.add(value(args, ++i, arg));
          case "--java" -> options.java = value(args, ++i, arg);
          case "--redis-server" -> options.redisServer = value(args, ++i, arg);
          case "--repo" -> options.repo = Path.of(value(args, ++i, arg)).toAbsolutePath();
          case "--agent" -> options.agent = Path.of(value(args, ++i, arg)).toAbsolutePath();
          case "--out" -> options.out = Path.of(value(args, ++i, arg)).toAbsolutePath();
          case "--timeout-s" ->
              options.timeoutSeconds = (int) number(arg, value(args, ++i, arg), 1);
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (options.prefixes > 26 * 26 * 26 * 26 * 26) {
        throw new IllegalArgumentException("--prefixes is at most " + 26 * 26 * 26 * 26 * 26);
      }
      return options;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static long number(String option, String text, long min) {
      try {
        long value = Long.parseLong(text.replace("_", "").replace(",", ""));
        if (value < min) {
          throw new IllegalArgumentException(option + " must be at least " + min);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a number, not " + text, e);
      }
    }

    private static List<Config> configs(String list) {
      Map<Config, Boolean> configs = new LinkedHashMap<>();
      configs.put(Config.A, true);
      for (String name : list.split(",")) {
        try {
          configs.put(Config.valueOf(name.trim().toUpperCase(Locale.ROOT)), true);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("unknown configuration " + name + "; known: A,B,C", e);
        }
      }
      return configs.keySet().stream().sorted().toList();
    }
  }
}
