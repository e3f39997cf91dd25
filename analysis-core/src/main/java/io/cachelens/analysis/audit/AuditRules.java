package io.cachelens.analysis.audit;

import io.cachelens.analysis.audit.AuditObservations.BigValues;
import io.cachelens.analysis.audit.AuditObservations.CommandLatency;
import io.cachelens.analysis.audit.AuditObservations.DangerousUse;
import io.cachelens.analysis.audit.AuditObservations.HotKeyShare;
import io.cachelens.analysis.audit.AuditObservations.Storm;
import io.cachelens.analysis.summary.PrefixSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns what the agent observed into findings; pure and deterministic. */
public final class AuditRules {
  // Commands that block the server or wipe data whoever sends them, at any size.
  private static final Set<String> CRITICAL_COMMANDS =
      Set.of("KEYS", "FLUSHALL", "FLUSHDB", "DEBUG", "MONITOR", "SAVE", "SHUTDOWN");
  private static final int CALL_SITES_PER_FINDING = 5;

  private final AuditThresholds thresholds;

  /** Rules with the given thresholds. */
  public AuditRules(AuditThresholds thresholds) {
    this.thresholds = thresholds;
  }

  /** The audit of the observations: summary, connections and findings. */
  public ServiceAudit audit(AuditObservations observations) {
    List<Finding> findings = new ArrayList<>();
    noTtlWrites(observations, findings);
    connectionChurn(observations, findings);
    dangerousCommands(observations, findings);
    bigValues(observations, findings);
    hotKeys(observations, findings);
    storms(observations, findings);
    slowCommands(observations, findings);
    return new ServiceAudit(observations.summary(), observations.connections(), findings);
  }

  private void noTtlWrites(AuditObservations observations, List<Finding> findings) {
    long min = Math.max(1, thresholds.get("no_ttl_writes.min_writes"));
    long critical = thresholds.get("no_ttl_writes.critical_writes");
    for (PrefixSummary prefix : observations.summary().prefixes()) {
      long without = prefix.writesWithoutTtl();
      if (without < min) {
        continue;
      }
      long settingWrites = without + prefix.writesWithTtl() + prefix.writesWithTtlLater();
      double percent = settingWrites == 0 ? 0 : 100.0 * without / settingWrites;
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("writes", prefix.writes());
      evidence.put("writesWithoutTtl", without);
      evidence.put("writesWithTtl", prefix.writesWithTtl());
      evidence.put("writesWithTtlLater", prefix.writesWithTtlLater());
      evidence.put("percentWithoutTtl", round1(percent));
      evidence.put("bytesWritten", prefix.bytesWritten());
      findings.add(
          new Finding(
              AuditRule.NO_TTL_WRITES,
              without >= critical ? Severity.CRITICAL : Severity.WARNING,
              prefix.prefix(),
              without
                  + " writes to "
                  + prefix.prefix()
                  + " left their key without a TTL ("
                  + round1(percent)
                  + "% of the writes that decide one); these keys stay until deleted or evicted.",
              evidence,
              limit(observations.noTtlWriteSites().getOrDefault(prefix.prefix(), List.of())),
              "Give every write to "
                  + prefix.prefix()
                  + " an expiry: SET key value EX <seconds> (or SETEX), or EXPIRE the key in the"
                  + " same pipeline or MULTI as the HSET/LPUSH/INCR that creates it. If the keys"
                  + " must live forever, say so in a prefix pattern and size the server for them;"
                  + " otherwise memory grows until maxmemory evicts or rejects writes."));
    }
  }

  /**
   * Two ways of opening connections per request, both needing sustained opens ({@code min_opened}
   * at {@code opens_per_minute} on average): churn, where the connections close after a short life
   * with few commands (medians of the closed ones), and a leak, where at least half the opened
   * connections, and at least {@code min_opened}, were never closed while carrying few commands
   * each on average, and opens happened in at least two different minutes: the open count keeps
   * growing (a pool warmed up in one burst at start-up does not). A pool opens few connections and
   * keeps them, so it is neither; when both hold, the leak is the finding.
   */
  private void connectionChurn(AuditObservations observations, List<Finding> findings) {
    ConnectionSummary connections = observations.connections();
    double minutes = windowMinutes(observations);
    double opensPerMinute = connections.opened() / minutes;
    long minOpened = thresholds.get("connection_churn.min_opened");
    long maxCommands = thresholds.get("connection_churn.max_commands_per_connection");
    boolean sustained =
        connections.opened() >= Math.max(1, minOpened)
            && opensPerMinute >= thresholds.get("connection_churn.opens_per_minute");
    if (!sustained) {
      return;
    }
    boolean churning =
        connections.closed() > 0
            && connections.lifetimeP50Millis()
                <= thresholds.get("connection_churn.max_lifetime_millis")
            && connections.commandsPerConnectionP50() <= maxCommands;
    long stillOpen = Math.max(0, connections.opened() - connections.closed());
    // Open connections' own counts are unknown: every command over every connection opened.
    double commandsPerOpened =
        (double) observations.summary().totals().commands() / connections.opened();
    // A pool opened at start-up is one burst; a leak keeps opening, minute after minute.
    long minutesWithOpens = connections.opensPerMinute().stream().filter(n -> n > 0).count();
    boolean leaking =
        stillOpen >= Math.max(1, minOpened)
            && stillOpen >= connections.closed()
            && commandsPerOpened <= maxCommands
            && minutesWithOpens >= 2;
    if (!churning && !leaking) {
      return;
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("pattern", leaking ? "leak" : "churn");
    evidence.put("opened", connections.opened());
    evidence.put("closed", connections.closed());
    evidence.put("stillOpen", stillOpen);
    evidence.put("opensPerMinute", round1(opensPerMinute));
    evidence.put("peakOpensPerMinute", connections.peakOpensPerMinute());
    evidence.put("lifetimeP50Millis", connections.lifetimeP50Millis());
    evidence.put("lifetimeP99Millis", connections.lifetimeP99Millis());
    evidence.put("commandsPerConnectionP50", connections.commandsPerConnectionP50());
    if (leaking) {
      evidence.put("commandsPerOpenedConnection", round1(commandsPerOpened));
    }
    evidence.put("callSitesSampled", connections.callSitesSampled());
    List<String> sites = new ArrayList<>();
    for (CallSiteCount site : connections.callSites()) {
      if (sites.size() < CALL_SITES_PER_FINDING) {
        sites.add(site.site());
      }
    }
    Severity severity =
        opensPerMinute >= thresholds.get("connection_churn.critical_opens_per_minute")
            ? Severity.CRITICAL
            : Severity.WARNING;
    if (leaking) {
      findings.add(
          new Finding(
              AuditRule.CONNECTION_CHURN,
              severity,
              null,
              "Opens "
                  + round1(opensPerMinute)
                  + " connections per minute and does not close them: "
                  + connections.opened()
                  + " opened, "
                  + connections.closed()
                  + " closed, so "
                  + stillOpen
                  + " are still open and the count keeps growing ("
                  + round1(commandsPerOpened)
                  + " commands per connection on average): a connection leak.",
              evidence,
              sites,
              "Close every connection the code opens, on every path including errors:"
                  + " try-with-resources around a Jedis (close() returns a pooled one to its"
                  + " pool), StatefulRedisConnection.close() and RedisClient.shutdown() for"
                  + " Lettuce. Better, create the client once and share it (JedisPooled, or one"
                  + " Lettuce connection for all threads). Each leaked connection holds a socket,"
                  + " a server-side client slot and its buffers until maxclients refuses new"
                  + " ones; CLIENT LIST on the server shows them idle."));
      return;
    }
    findings.add(
        new Finding(
            AuditRule.CONNECTION_CHURN,
            severity,
            null,
            "Opens "
                + round1(opensPerMinute)
                + " connections per minute that live "
                + connections.lifetimeP50Millis()
                + " ms and carry "
                + connections.commandsPerConnectionP50()
                + (connections.commandsPerConnectionP50() == 1 ? " command" : " commands")
                + " (medians): a connection per request.",
            evidence,
            sites,
            "Create the client once and share it: a JedisPool/JedisPooled (or RedisClient in Jedis"
                + " 8) built at start-up, or one Lettuce StatefulRedisConnection shared by all"
                + " threads. Each new connection costs a TCP and AUTH/HELLO handshake and a"
                + " server-side client slot; under load they exhaust maxclients and ephemeral"
                + " ports."));
  }

  private void dangerousCommands(AuditObservations observations, List<Finding> findings) {
    for (DangerousUse use : observations.dangerous()) {
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("command", use.command());
      evidence.put("reason", use.largeReplyRead() ? "large_reply" : "dangerous");
      evidence.put("count", use.count());
      if (use.maxReplyElements() > 0) {
        evidence.put("maxReplyElements", use.maxReplyElements());
      }
      if (use.maxReplyBytes() > 0) {
        evidence.put("maxReplyBytes", use.maxReplyBytes());
      }
      String message;
      String recommendation;
      Severity severity;
      if (use.largeReplyRead()) {
        severity = Severity.WARNING;
        message =
            use.command()
                + " returned "
                + use.count()
                + " large replies (up to "
                + use.maxReplyElements()
                + " elements): an O(N) read that blocks the server while it builds the reply.";
        recommendation =
            "Read large collections in pages (HSCAN/SSCAN/ZSCAN, LRANGE with bounds, ZRANGE with"
                + " LIMIT), or keep them smaller; cache the derived result instead of the whole"
                + " collection.";
      } else {
        severity = CRITICAL_COMMANDS.contains(use.command()) ? Severity.CRITICAL : Severity.WARNING;
        message =
            use.command()
                + " sent "
                + use.count()
                + " times: it can block, wipe or reconfigure the server for every client.";
        recommendation = recommendationFor(use.command());
      }
      findings.add(
          new Finding(
              AuditRule.DANGEROUS_COMMAND,
              severity,
              null,
              message,
              evidence,
              limit(use.callSites()),
              recommendation));
    }
  }

  private static String recommendationFor(String command) {
    return switch (command) {
      case "KEYS" ->
          "Replace KEYS with SCAN and a MATCH pattern, iterated with a COUNT, or keep an index (a"
              + " SET of the keys) updated on write; KEYS walks the whole keyspace in one"
              + " blocking call.";
      case "FLUSHALL", "FLUSHDB" ->
          "Never flush from service code: delete the service's own keys by prefix with SCAN +"
              + " UNLINK, or use FLUSHDB ASYNC only in tests; rename or disable the command on"
              + " production servers.";
      case "MONITOR" ->
          "Remove MONITOR from service code; it halves server throughput. Use CacheLens or"
              + " SLOWLOG to see commands.";
      case "SAVE" -> "Use BGSAVE or rely on the server's persistence settings; SAVE blocks.";
      case "DEBUG" -> "Remove DEBUG from service code; disable it on production servers.";
      default ->
          "Run "
              + command
              + " from operations tooling, not from the service; restrict it with ACLs on"
              + " production servers.";
    };
  }

  private void bigValues(AuditObservations observations, List<Finding> findings) {
    long writeBytes = thresholds.get("big_value.write_bytes");
    long replyBytes = thresholds.get("big_value.reply_bytes");
    for (BigValues values : observations.bigValues()) {
      if (values.bigWrites() == 0 && values.bigReplies() == 0) {
        continue;
      }
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("bigWrites", values.bigWrites());
      evidence.put("maxWriteBytes", values.maxWriteBytes());
      evidence.put("bigReplies", values.bigReplies());
      evidence.put("maxReplyBytes", values.maxReplyBytes());
      evidence.put("writeThresholdBytes", writeBytes);
      evidence.put("replyThresholdBytes", replyBytes);
      boolean huge =
          values.maxWriteBytes() >= 10 * writeBytes || values.maxReplyBytes() >= 10 * replyBytes;
      findings.add(
          new Finding(
              AuditRule.BIG_VALUE,
              huge ? Severity.CRITICAL : Severity.WARNING,
              values.prefix(),
              values.bigWrites()
                  + " writes of at least "
                  + bytes(writeBytes)
                  + " and "
                  + values.bigReplies()
                  + " replies of at least "
                  + bytes(replyBytes)
                  + " on "
                  + values.prefix()
                  + " (largest "
                  + bytes(Math.max(values.maxWriteBytes(), values.maxReplyBytes()))
                  + ").",
              evidence,
              List.of(),
              "Split big values (a HASH with fields read with HGET/HMGET instead of one serialized"
                  + " blob), compress them, or keep them out of Redis; big values block the"
                  + " server's single thread while they are copied and stall replication."));
    }
  }

  private void hotKeys(AuditObservations observations, List<Finding> findings) {
    long sampled = observations.hotKeySampled();
    if (sampled < thresholds.get("hot_key.min_commands")) {
      return;
    }
    long sharePercent = thresholds.get("hot_key.share_percent");
    for (HotKeyShare key : observations.hotKeys()) {
      // Only what is certainly this key's: the sketch's count minus its possible error. The
      // evidence gives both counts, and the share is of the guaranteed one.
      long guaranteed = Math.max(0, key.count() - key.error());
      double percent = 100.0 * guaranteed / sampled;
      if (percent < sharePercent) {
        continue;
      }
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("key", key.key());
      evidence.put("sampledCommands", sampled);
      evidence.put("keyCommandsGuaranteed", guaranteed);
      evidence.put("keyCommandsEstimated", key.count());
      evidence.put("percentOfCommands", round1(percent));
      findings.add(
          new Finding(
              AuditRule.HOT_KEY,
              Severity.WARNING,
              key.prefix(),
              "Key "
                  + key.key()
                  + " takes at least "
                  + round1(percent)
                  + "% of the service's commands: one server (one cluster slot) carries that"
                  + " load alone.",
              evidence,
              List.of(),
              "Cache the hot key in the service (a near cache with a short TTL, or Redis"
                  + " client-side caching), or split it into several keys read at random; check"
                  + " the code that reads it in a loop."));
    }
  }

  private void storms(AuditObservations observations, List<Finding> findings) {
    for (Storm storm : observations.storms()) {
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("command", storm.command());
      evidence.put("bursts", storm.bursts());
      evidence.put("commandsInBursts", storm.commands());
      evidence.put("longestBurst", storm.longest());
      evidence.put("runLengthThreshold", thresholds.get("round_trip_storm.run_length"));
      findings.add(
          new Finding(
              AuditRule.ROUND_TRIP_STORM,
              Severity.WARNING,
              storm.prefix(),
              storm.bursts()
                  + " bursts of up to "
                  + storm.longest()
                  + " sequential "
                  + storm.command()
                  + " commands on "
                  + (storm.prefix() == null ? "keys" : storm.prefix())
                  + ", one round trip each (the N+1 pattern).",
              evidence,
              storm.callSite() == null ? List.of() : List.of(storm.callSite()),
              "Batch the loop: MGET/MSET for strings, HMGET for hash fields, or a pipeline"
                  + " (Jedis Pipeline, Lettuce async with flushCommands) for other commands; one"
                  + " round trip instead of "
                  + storm.longest()
                  + "."));
    }
  }

  private void slowCommands(AuditObservations observations, List<Finding> findings) {
    long thresholdMicros = thresholds.get("slow_command.p99_millis") * 1000;
    long criticalMicros = thresholds.get("slow_command.critical_p99_millis") * 1000;
    long minCommands = thresholds.get("slow_command.min_commands");
    for (CommandLatency latency : observations.latencies()) {
      if (latency.count() < minCommands || latency.p99Micros() < thresholdMicros) {
        continue;
      }
      Map<String, Object> evidence = new LinkedHashMap<>();
      evidence.put("command", latency.command());
      evidence.put("count", latency.count());
      evidence.put("p99Micros", latency.p99Micros());
      evidence.put("thresholdMicros", thresholdMicros);
      findings.add(
          new Finding(
              AuditRule.SLOW_COMMAND,
              latency.p99Micros() >= criticalMicros ? Severity.CRITICAL : Severity.WARNING,
              latency.prefix(),
              latency.command()
                  + (latency.prefix() == null ? "" : " on " + latency.prefix())
                  + " has a client-side p99 of "
                  + (latency.p99Micros() + 500) / 1000
                  + " ms over "
                  + latency.count()
                  + " commands.",
              evidence,
              limit(latency.callSites()),
              "Look at what makes it slow on the server (SLOWLOG, value size, O(N) on big"
                  + " collections) and on the client (pool exhaustion, a saturated connection,"
                  + " GC): add a timeout and a fallback on the call site, and shrink the work per"
                  + " command."));
    }
  }

  private static List<String> limit(List<String> sites) {
    return sites.size() <= CALL_SITES_PER_FINDING
        ? sites
        : sites.subList(0, CALL_SITES_PER_FINDING);
  }

  private static double windowMinutes(AuditObservations observations) {
    Duration window =
        Duration.between(observations.summary().windowStart(), observations.summary().windowEnd());
    // A window under a second is still a second: rates of a just-started service stay finite.
    return Math.max(1_000, window.toMillis()) / 60_000.0;
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  static String bytes(long bytes) {
    if (bytes >= 1024 * 1024) {
      return round1(bytes / (1024.0 * 1024)) + " MB";
    }
    if (bytes >= 1024) {
      return round1(bytes / 1024.0) + " KB";
    }
    return bytes + " B";
  }
}
