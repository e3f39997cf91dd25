package io.cachelens.benchmarks.memory;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Workload process of the memory-bound harness: a service that sends commands on many millions of
 * distinct keys spread over many distinct key prefixes, and opens connections it never closes.
 *
 * <p>Key {@code i} is {@code tenant<p>:cart:<i>} where {@code <p>} spells {@code (i + i / 10) %
 * prefixes} in four or more lower-case letters ({@code tenantaaaa}, {@code tenantaaab}, ...): a
 * short word, which the prefix inferrer keeps, so every one of them is a distinct literal prefix
 * {@code tenant<p>:cart:*}. Operation {@code i % 10}: 0-6 GET (of a key never written: nil), 7 SET
 * of a 16-byte value without TTL, 8 INCR (a new counter: 1), 9 EXPIRE 60 of the key the INCR before
 * it created (same pipeline, so the audit counts that INCR as {@code writesWithTtlLater}). Commands
 * go in pipelines of {@code mem.batch}.
 *
 * <p>Connections: after the first checkpoint it opens {@code mem.connections} more connections,
 * PINGs each once and keeps them open to the end; at every later checkpoint it opens {@code
 * mem.abandoned} more, PINGs each and drops them without closing them (the service leaks them to
 * the garbage collector). No connection is ever closed.
 *
 * <p>At each checkpoint (start, then every {@code mem.checkpoint} keys) it prints one line {@code
 * CACHELENS-MEM checkpoint ...} with the live heap from a class histogram (which runs a full GC
 * first), the part of it in instances of {@code io.cachelens.*} classes (the agent's own objects;
 * arrays it owns count as {@code byte[]}, {@code long[]} ... and only show in the difference with a
 * run without the agent), the heap used after that GC and the resident set size. At the end it
 * prints {@code CACHELENS-MEM done ...} with the exact number of commands of each kind it sent, for
 * the driver to check the audit against.
 *
 * <p>Any exception, or a reply that is not what Redis answers to these commands, ends the process
 * with a non-zero status: with the agent attached, nothing may reach the service.
 *
 * <p>System properties: {@code mem.port} (required), {@code mem.host}, {@code mem.client} ({@code
 * jedis} or {@code lettuce}), {@code mem.keys} (10,000,000), {@code mem.prefixes} (100,000), {@code
 * mem.connections} (2,000), {@code mem.abandoned} (200), {@code mem.checkpoint} (keys / 10), {@code
 * mem.batch} (1,000), {@code mem.agent} (true when the CacheLens agent is attached: at exit, a
 * shutdown hook then samples the live heap while the agent writes its final audit, see {@link
 * #sampleExitReport()}).
 */
public final class MemoryWorkload {

  /** Prefix of every line the driver parses. */
  public static final String MARKER = "CACHELENS-MEM";

  private static final byte[] VALUE = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final long keys;
  private final int prefixes;
  private final int prefixLetters;
  private final long startNanos = System.nanoTime();

  private long gets;
  private long sets;
  private long incrs;
  private long expires;
  private long pings;
  private int kept;
  private int abandoned;

  private MemoryWorkload(long keys, int prefixes) {
    this.keys = keys;
    this.prefixes = prefixes;
    int letters = 4;
    while (Math.pow(26, letters) < prefixes) {
      letters++;
    }
    this.prefixLetters = letters;
  }

  public static void main(String[] args) throws Exception {
    String host = System.getProperty("mem.host", "127.0.0.1");
    String portText = System.getProperty("mem.port");
    if (portText == null) {
      throw new IllegalStateException("-Dmem.port=<redis port> is required");
    }
    int port = Integer.parseInt(portText);
    long keys = longProperty("mem.keys", 10_000_000L);
    int prefixes = (int) longProperty("mem.prefixes", 100_000);
    int connections = (int) longProperty("mem.connections", 2_000);
    int abandonedPerCheckpoint = (int) longProperty("mem.abandoned", 200);
    long checkpoint = longProperty("mem.checkpoint", Math.max(1, keys / 10));
    int batch = (int) longProperty("mem.batch", 1_000);
    String clientName = System.getProperty("mem.client", "jedis");
    if (keys < 1 || prefixes < 1 || checkpoint < 1 || batch < 1 || connections < 0) {
      throw new IllegalArgumentException("mem.keys, mem.prefixes, mem.checkpoint, mem.batch >= 1");
    }

    MemoryWorkload workload = new MemoryWorkload(keys, prefixes);
    Client client =
        switch (clientName) {
          case "jedis" -> new JedisClient(host, port);
          case "lettuce" -> new LettuceClient(host, port);
          default -> throw new IllegalArgumentException("mem.client must be jedis or lettuce");
        };
    workload.pings += client.ping(client.main());
    workload.checkpoint(0);
    for (int c = 0; c < connections; c++) {
      workload.pings += client.ping(client.open(true));
      workload.kept++;
    }

    long sent = 0;
    while (sent < keys) {
      long end = Math.min(keys, sent + batch);
      long nextCheckpoint = (sent / checkpoint + 1) * checkpoint;
      end = Math.min(end, nextCheckpoint);
      client.send(workload, sent, end);
      sent = end;
      if (sent % checkpoint == 0 || sent == keys) {
        if (sent < keys) {
          for (int c = 0; c < abandonedPerCheckpoint; c++) {
            workload.pings += client.ping(client.open(false));
            workload.abandoned++;
          }
        }
        workload.checkpoint(sent);
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s done client=%s keys=%d prefixes=%d commands=%d GET=%d SET=%d INCR=%d EXPIRE=%d"
                + " PING=%d connections_kept=%d connections_abandoned=%d elapsed_s=%.1f",
            MARKER,
            clientName,
            keys,
            prefixes,
            workload.gets + workload.sets + workload.incrs + workload.expires + workload.pings,
            workload.gets,
            workload.sets,
            workload.incrs,
            workload.expires,
            workload.pings,
            workload.kept + 1,
            workload.abandoned,
            workload.elapsedSeconds()));
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(MemoryWorkload::sampleExitReport, "mem-exit"));
    // Never closes a connection: the JVM exits with all of them open (the agent's audit is
    // written by its shutdown hook).
    System.exit(0);
  }

  /**
   * {@code tenant<letters>:cart:<i>}, where the letters spell {@code (i + i / 10) % prefixes}: with
   * operation {@code i % 10}, every block of {@code 10 * prefixes} keys gives each prefix each
   * operation exactly once.
   */
  byte[] key(long i) {
    int prefix = (int) ((i + i / 10) % prefixes);
    byte[] digits = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
    byte[] key = new byte[6 + prefixLetters + 6 + digits.length];
    System.arraycopy(TENANT, 0, key, 0, 6);
    for (int k = prefixLetters - 1; k >= 0; k--) {
      key[6 + k] = (byte) ('a' + prefix % 26);
      prefix /= 26;
    }
    System.arraycopy(CART, 0, key, 6 + prefixLetters, 6);
    System.arraycopy(digits, 0, key, 12 + prefixLetters, digits.length);
    return key;
  }

  private static final byte[] TENANT = "tenant".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CART = ":cart:".getBytes(StandardCharsets.US_ASCII);

  private double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void checkpoint(long sent) {
    Histogram histogram = Histogram.take();
    Runtime runtime = Runtime.getRuntime();
    long heapUsed = runtime.totalMemory() - runtime.freeMemory();
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s checkpoint keys=%d commands=%d live_bytes=%d agent_bytes=%d agent_instances=%d"
                + " heap_used=%d rss_kb=%d connections_open=%d connections_abandoned=%d"
                + " report_in_progress=%b elapsed_s=%.1f",
            MARKER,
            sent,
            gets + sets + incrs + expires + pings,
            histogram.totalBytes,
            histogram.agentBytes,
            histogram.agentInstances,
            heapUsed,
            rssKb(),
            kept + 1,
            abandoned,
            histogram.reportInstances > 0,
            elapsedSeconds()));
    System.out.flush();
    System.err.printf(
        Locale.ROOT,
        "[memory] %,d keys, live heap %,d KB (io.cachelens.* %,d KB), %.0f s%n",
        sent,
        histogram.totalBytes / 1024,
        histogram.agentBytes / 1024,
        elapsedSeconds());
  }

  /**
   * Shutdown hook: while the agent's own hook ({@code cachelens-shutdown}) assembles and writes the
   * final audit, takes class histograms back to back and prints the largest live heap seen with the
   * report in progress. That is the agent's peak: its tables plus one report being written, which
   * the periodic report (every {@code cachelens.report.interval}) costs for as long as it runs.
   */
  static void sampleExitReport() {
    Thread agent = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    // Hooks start one after the other: the agent's may not have started yet.
    while (agent == null && Boolean.getBoolean("mem.agent") && System.nanoTime() < deadline) {
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().equals("cachelens-shutdown")) {
          agent = thread;
        }
      }
    }
    long maxLive = 0;
    long maxAgent = 0;
    int samples = 0;
    int caught = 0;
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (agent != null && agent.isAlive() && System.nanoTime() < deadline) {
      Histogram histogram = Histogram.take();
      samples++;
      if (histogram.reportInstances > 0) {
        caught++;
        maxLive = Math.max(maxLive, histogram.totalBytes);
        maxAgent = Math.max(maxAgent, histogram.agentBytes);
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "%s exit-report samples=%d caught=%d max_live_bytes=%d max_agent_bytes=%d",
            MARKER,
            samples,
            caught,
            maxLive,
            maxAgent));
    System.out.flush();
  }

  static long longProperty(String name, long defaultValue) {
    String value = System.getProperty(name);
    return value == null ? defaultValue : Long.parseLong(value.replace("_", ""));
  }

  /** {@code VmRSS} from /proc/self/status in KiB, or -1. */
  static long rssKb() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              java.nio.file.Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  static void expect(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("unexpected reply: " + what);
    }
  }

  /** Types the agent creates only while it assembles an audit and writes its reports. */
  static final java.util.Set<String> REPORT_TYPES =
      java.util.Set.of(
          "io.cachelens.analysis.audit.Finding",
          "io.cachelens.analysis.summary.PrefixSummary",
          "io.cachelens.analysis.summary.CommandSummary",
          "io.cachelens.analysis.json.JsonWriter");

  /** The live heap by class, from the JVM's own {@code GC.class_histogram} (full GC first). */
  static final class Histogram {
    long totalBytes;
    long agentBytes;
    long agentInstances;
    // Instances that exist only while the agent assembles and writes an audit.
    long reportInstances;

    static Histogram take() {
      String text;
      try {
        text =
            (String)
                ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                        new javax.management.ObjectName(
                            "com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
      } catch (javax.management.JMException e) {
        throw new IllegalStateException("GC.class_histogram is not available", e);
      }
      Histogram histogram = new Histogram();
      // "   1:   12345   678901  java.lang.String (java.base@17)" ... "Total  12345  678901"
      for (String line : text.split("\n")) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length >= 3 && fields[0].equals("Total")) {
          histogram.totalBytes = Long.parseLong(fields[2]);
        } else if (fields.length >= 4 && fields[0].endsWith(":")) {
          String type = fields[3];
          if (type.startsWith("io.cachelens.") && !type.startsWith("io.cachelens.bench")) {
            histogram.agentInstances += Long.parseLong(fields[1]);
            histogram.agentBytes += Long.parseLong(fields[2]);
            if (REPORT_TYPES.contains(type)) {
              histogram.reportInstances += Long.parseLong(fields[1]);
            }
          }
        }
      }
      if (histogram.totalBytes == 0) {
        throw new IllegalStateException("no Total line in the class histogram");
      }
      return histogram;
    }
  }

  /** The client the service uses; every connection it opens stays referenced or is leaked. */
  interface Client {
    Object main();

    /** Opens a connection; {@code keep} holds on to it until the process exits. */
    Object open(boolean keep) throws Exception;

    /** Sends PING on a connection and checks the reply; returns 1. */
    int ping(Object connection) throws Exception;

    /** Sends the commands for keys {@code [from, to)} on the main connection, pipelined. */
    void send(MemoryWorkload workload, long from, long to) throws Exception;
  }

  static final class JedisClient implements Client {
    private final String host;
    private final int port;
    private final Jedis main;
    private final List<Jedis> keptOpen = new ArrayList<>();

    JedisClient(String host, int port) {
      this.host = host;
      this.port = port;
      this.main = new Jedis(host, port);
    }

    @Override
    public Object main() {
      return main;
    }

    @Override
    public Object open(boolean keep) {
      Jedis jedis = new Jedis(host, port);
      if (keep) {
        keptOpen.add(jedis);
      }
      return jedis;
    }

    @Override
    public int ping(Object connection) {
      String reply = ((Jedis) connection).ping();
      expect("PONG".equals(reply), "PING -> " + reply);
      return 1;
    }

    @Override
    public void send(MemoryWorkload workload, long from, long to) {
      Pipeline pipeline = main.pipelined();
      List<Response<?>> responses = new ArrayList<>((int) (to - from));
      byte[] previous = from > 0 ? workload.key(from - 1) : null;
      for (long i = from; i < to; i++) {
        byte[] key = workload.key(i);
        int op = (int) (i % 10);
        if (op <= 6) {
          responses.add(pipeline.get(key));
          workload.gets++;
        } else if (op == 7) {
          responses.add(pipeline.set(key, VALUE));
          workload.sets++;
        } else if (op == 8) {
          responses.add(pipeline.incr(key));
          workload.incrs++;
        } else {
          responses.add(pipeline.expire(previous, 60));
          workload.expires++;
        }
        previous = key;
      }
      pipeline.sync();
      for (long i = from; i < to; i++) {
        Object reply = responses.get((int) (i - from)).get();
        int op = (int) (i % 10);
        if (op <= 6) {
          expect(reply == null, "GET of a key never written -> " + reply);
        } else if (op == 7) {
          expect("OK".equals(reply), "SET -> " + reply);
        } else if (op == 8) {
          expect(Long.valueOf(1).equals(reply), "INCR of a new key -> " + reply);
        } else {
          // 0 only if Redis evicted the counter between INCR and EXPIRE (maxmemory)
          expect(reply instanceof Long && ((Long) reply) <= 1, "EXPIRE -> " + reply);
        }
      }
    }
  }

  static final class LettuceClient implements Client {
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> main;
    private final List<StatefulRedisConnection<byte[], byte[]>> keptOpen = new ArrayList<>();

    LettuceClient(String host, int port) {
      RedisURI uri = RedisURI.create(host, port);
      uri.setTimeout(Duration.ofSeconds(60));
      this.client = RedisClient.create(uri);
      this.main = client.connect(ByteArrayCodec.INSTANCE);
    }

    @Override
    public Object main() {
      return main;
    }

    @Override
    public Object open(boolean keep) {
      StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
      if (keep) {
        keptOpen.add(connection);
      }
      return connection;
    }

    @Override
    public int ping(Object connection) {
      @SuppressWarnings("unchecked")
      String reply = ((StatefulRedisConnection<byte[], byte[]>) connection).sync().ping();
      expect("PONG".equals(reply), "PING -> " + reply);
      return 1;
    }

    @Override
    public void send(MemoryWorkload workload, long from, long to) throws Exception {
      RedisAsyncCommands<byte[], byte[]> async = main.async();
      List<RedisFuture<?>> futures = new ArrayList<>((int) (to - from));
      main.setAutoFlushCommands(false);
      try {
        byte[] previous = from > 0 ? workload.key(from - 1) : null;
        for (long i = from; i < to; i++) {
          byte[] key = workload.key(i);
          int op = (int) (i % 10);
          if (op <= 6) {
            futures.add(async.get(key));
            workload.gets++;
          } else if (op == 7) {
            futures.add(async.set(key, VALUE));
            workload.sets++;
          } else if (op == 8) {
            futures.add(async.incr(key));
            workload.incrs++;
          } else {
            futures.add(async.expire(previous, 60));
            workload.expires++;
          }
          previous = key;
        }
        main.flushCommands();
      } finally {
        main.setAutoFlushCommands(true);
      }
      if (!LettuceFutures.awaitAll(60, TimeUnit.SECONDS, futures.toArray(new RedisFuture<?>[0]))) {
        throw new IllegalStateException("pipeline did not complete within 60 s");
      }
      for (long i = from; i < to; i++) {
        Object reply = futures.get((int) (i - from)).get();
        int op = (int) (i % 10);
        if (op <= 6) {
          expect(reply == null, "GET of a key never written -> " + Arrays.toString((byte[]) reply));
        } else if (op == 7) {
          expect("OK".equals(reply), "SET -> " + reply);
        } else if (op == 8) {
          expect(Long.valueOf(1).equals(reply), "INCR of a new key -> " + reply);
        } else {
          expect(reply instanceof Boolean, "EXPIRE -> " + reply);
        }
      }
    }
  }
}
