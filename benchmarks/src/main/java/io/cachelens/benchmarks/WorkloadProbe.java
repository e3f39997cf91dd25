package io.cachelens.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measurement side of a workload process: settings from system properties, the shared key/value
 * set, the first-command marker and the timed-phase counters, printed as one machine-readable line.
 *
 * <p>Everything here runs outside the timed loop except {@link #start()} and {@link #stop(long)},
 * which bracket it.
 */
final class WorkloadProbe {

  /** Prefix of every line the driver parses from a workload's standard output. */
  static final String MARKER = "CACHELENS-BENCH";

  /** Distinct keys; SET and GET alternate on {@code key:(i/2) % KEY_SPACE}. */
  static final int KEY_SPACE = 10_000;

  static final int VALUE_BYTES = 100;

  private final String workload;
  private final com.sun.management.ThreadMXBean threads;
  private final com.sun.management.OperatingSystemMXBean os;

  private long startNanos;
  private long startCpuNanos;
  private Map<Long, Long> startAllocated;
  private long startStartedThreads;

  WorkloadProbe(String workload) {
    this.workload = workload;
    this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    this.os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    if (!threads.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM cannot report per-thread allocated bytes");
    }
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  static String host() {
    return System.getProperty("bench.host", "127.0.0.1");
  }

  static int port() {
    String port = System.getProperty("bench.port");
    if (port == null) {
      throw new IllegalStateException("-Dbench.port=<redis port> is required");
    }
    return Integer.parseInt(port);
  }

  static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
  }

  /** {@code key:0} … {@code key:9999}, built once so the loop does not allocate key strings. */
  static String[] keys() {
    String[] keys = new String[KEY_SPACE];
    for (int i = 0; i < KEY_SPACE; i++) {
      keys[i] = "key:" + i;
    }
    return keys;
  }

  static String value() {
    return "v".repeat(VALUE_BYTES);
  }

  /** Key used by operation {@code i}: even operations SET it, the following odd one GETs it. */
  static int keyIndex(long i) {
    return (int) ((i >>> 1) % KEY_SPACE);
  }

  /**
   * Prints the wall-clock time at which the first command completed. The driver subtracts the
   * instant at which it launched the process, so the figure covers process launch, JVM and agent
   * start-up, client creation, connecting and one round trip.
   */
  static void firstCommandDone() {
    Instant now = Instant.now();
    long epochMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println(
        MARKER
            + " first-command epoch_us="
            + epochMicros
            + " jvm_start_to_first_command_ms="
            + (epochMicros / 1_000 - jvmStartMillis));
  }

  /** Samples the counters at the start of the timed phase. */
  void start() {
    startStartedThreads = threads.getTotalStartedThreadCount();
    startAllocated = allocatedByThread();
    startCpuNanos = os.getProcessCpuTime();
    startNanos = System.nanoTime();
  }

  /**
   * Samples the counters at the end of the timed phase and prints the result line. Call it while
   * the client (and its I/O threads) is still open: allocation is summed over live threads only.
   */
  void stop(long ops) {
    long elapsedNanos = System.nanoTime() - startNanos;
    long cpuNanos = os.getProcessCpuTime() - startCpuNanos;
    Map<Long, Long> endAllocated = allocatedByThread();
    long startedThreads = threads.getTotalStartedThreadCount() - startStartedThreads;

    long allocated = 0;
    int born = 0;
    for (Map.Entry<Long, Long> end : endAllocated.entrySet()) {
      Long before = startAllocated.get(end.getKey());
      if (before == null) {
        born++;
      }
      allocated += end.getValue() - (before == null ? 0 : before);
    }
    // Threads that ended before the last sample took their allocation with them: those alive at
    // the start but gone at the end, and those started and ended within the timed phase.
    long missed = Math.max(0, startedThreads - born);
    for (Long id : startAllocated.keySet()) {
      if (!endAllocated.containsKey(id)) {
        missed++;
      }
    }

    double seconds = elapsedNanos / 1e9;
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s result workload=%s ops=%d elapsed_s=%.6f ops_per_s=%.1f cpu_us_per_op=%.4f"
                + " alloc_bytes_per_op=%.2f peak_rss_kb=%d threads_sampled=%d threads_missed=%d",
            MARKER,
            workload,
            ops,
            seconds,
            ops / seconds,
            cpuNanos / 1e3 / ops,
            (double) allocated / ops,
            peakRssKb(),
            endAllocated.size(),
            missed));
  }

  private Map<Long, Long> allocatedByThread() {
    long[] ids = threads.getAllThreadIds();
    long[] bytes = threads.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) { // -1: the thread died between the two calls
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  /** {@code VmHWM} (peak resident set) from /proc/self/status, in KiB; -1 if unavailable. */
  static long peakRssKb() {
    try {
      List<String> lines =
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1);
      for (String line : lines) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or an unexpected format: report it as missing
    }
    return -1;
  }
}
