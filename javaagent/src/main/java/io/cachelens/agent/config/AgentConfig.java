package io.cachelens.agent.config;

import io.cachelens.analysis.audit.AuditThresholds;
import io.cachelens.analysis.prefix.PrefixConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's validated settings. Built once at start-up; an invalid value throws a {@link
 * ConfigException} naming the key and the accepted values, and the agent then stays out of the
 * service.
 */
public final class AgentConfig {
  /** The longest duration accepted anywhere: far beyond any sensible value, safe in nanoseconds. */
  static final Duration MAX_DURATION = Duration.ofDays(365);

  private final ConfigSource source;
  private final RootSpans rootSpans;
  private final Duration slowThreshold;
  private final KeyCapture keyCapture;
  private final String prefixDelimiters;
  private final int prefixDepth;
  private final int prefixLimit;
  private final List<String> prefixPatterns;
  private final Path reportDirectory;
  private final Duration reportInterval;
  private final boolean debug;
  private final AuditThresholds auditThresholds;

  private AgentConfig(ConfigSource source) {
    this.source = source;
    this.rootSpans = choice(source, "cachelens.spans.root", RootSpans.class, RootSpans.SLOW);
    this.slowThreshold = duration(source, "cachelens.spans.slow", Duration.ofMillis(10));
    this.keyCapture = choice(source, "cachelens.capture.keys", KeyCapture.class, KeyCapture.PREFIX);
    this.prefixDelimiters = string(source, "cachelens.prefix.delimiters", ":");
    this.prefixDepth =
        integer(
            source,
            "cachelens.prefix.depth",
            PrefixConfig.DEFAULT_MAX_DEPTH,
            1,
            PrefixConfig.MAX_DEPTH_LIMIT);
    this.prefixLimit =
        integer(
            source,
            "cachelens.prefix.limit",
            PrefixConfig.DEFAULT_MAX_PREFIXES,
            PrefixConfig.MIN_PREFIXES,
            PrefixConfig.MAX_PREFIXES_LIMIT);
    this.prefixPatterns = list(source, "cachelens.prefix.patterns");
    this.reportDirectory = Paths.get(string(source, "cachelens.report.dir", "cachelens-reports"));
    this.reportInterval = duration(source, "cachelens.report.interval", Duration.ofSeconds(60));
    this.debug = bool(source, "cachelens.debug", false);
    this.auditThresholds = auditThresholds(source);
  }

  private static AuditThresholds auditThresholds(ConfigSource source) {
    AuditThresholds thresholds = AuditThresholds.defaults();
    for (Map.Entry<String, Long> threshold : AuditThresholds.DEFAULTS.entrySet()) {
      String key = "cachelens.audit." + threshold.getKey();
      long value = longValue(source, key, threshold.getValue(), 0, Long.MAX_VALUE / 1_000_000);
      thresholds = thresholds.with(threshold.getKey(), value);
    }
    return thresholds;
  }

  /** The audit rules' thresholds ({@code cachelens.audit.<rule>.<param>}). */
  public AuditThresholds auditThresholds() {
    return auditThresholds;
  }

  /** Reads and validates the settings from {@code source}. */
  public static AgentConfig load(ConfigSource source) {
    return new AgentConfig(source);
  }

  public ConfigSource source() {
    return source;
  }

  public RootSpans rootSpans() {
    return rootSpans;
  }

  public Duration slowThreshold() {
    return slowThreshold;
  }

  public KeyCapture keyCapture() {
    return keyCapture;
  }

  public String prefixDelimiters() {
    return prefixDelimiters;
  }

  public int prefixDepth() {
    return prefixDepth;
  }

  public int prefixLimit() {
    return prefixLimit;
  }

  public List<String> prefixPatterns() {
    return prefixPatterns;
  }

  public Path reportDirectory() {
    return reportDirectory;
  }

  /** How often the local summary is rewritten; zero means only at exit. */
  public Duration reportInterval() {
    return reportInterval;
  }

  public boolean debug() {
    return debug;
  }

  /**
   * Whether the instrumentation module {@code name} (e.g. {@code jedis-4}) is on; all are by
   * default.
   */
  public boolean instrumentationEnabled(String name) {
    return bool(source, "cachelens.instrumentation." + name + ".enabled", true);
  }

  /**
   * The service name: {@code cachelens.service.name}, else OpenTelemetry's {@code
   * otel.service.name} or {@code service.name} in {@code otel.resource.attributes}, else null (the
   * caller derives one from the main class).
   */
  public String explicitServiceName() {
    String name = source.get("cachelens.service.name");
    if (name == null) {
      name = source.get("otel.service.name");
    }
    if (name == null) {
      String resource = source.get("otel.resource.attributes");
      if (resource != null) {
        for (String pair : resource.split(",")) {
          int equals = pair.indexOf('=');
          if (equals > 0 && pair.substring(0, equals).trim().equals("service.name")) {
            name = pair.substring(equals + 1).trim();
          }
        }
      }
    }
    return name == null || name.isEmpty() ? null : name;
  }

  private static String string(ConfigSource source, String key, String fallback) {
    String value = source.get(key);
    return value == null ? fallback : value;
  }

  private static List<String> list(ConfigSource source, String key) {
    String value = source.get(key);
    if (value == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return Collections.unmodifiableList(items);
  }

  static boolean bool(ConfigSource source, String key, boolean fallback) {
    String value = source.get(key);
    if (value == null) {
      return fallback;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new ConfigException(
            key + "=" + value + " is not valid; accepted values: true, false");
    }
  }

  static int integer(ConfigSource source, String key, int fallback, int min, int max) {
    String value = source.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new ConfigException(
        key
            + "="
            + value
            + " is not valid; accepted values: a whole number from "
            + min
            + " to "
            + max);
  }

  static long longValue(ConfigSource source, String key, long fallback, long min, long max) {
    String value = source.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw new ConfigException(
        key
            + "="
            + value
            + " is not valid; accepted values: a whole number from "
            + min
            + " to "
            + max);
  }

  static <E extends Enum<E>> E choice(ConfigSource source, String key, Class<E> type, E fallback) {
    String value = source.get(key);
    if (value == null) {
      return fallback;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    List<String> accepted = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      accepted.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigException(
        key + "=" + value + " is not valid; accepted values: " + String.join(", ", accepted));
  }

  /** Parses {@code 250us}, {@code 10ms}, {@code 2s}, {@code 1m}; a bare number is milliseconds. */
  static Duration duration(ConfigSource source, String key, Duration fallback) {
    String value = source.get(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toLowerCase(Locale.ROOT);
    int unitStart = 0;
    while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
      unitStart++;
    }
    if (unitStart > 0 && unitStart <= 12) {
      long amount = Long.parseLong(text.substring(0, unitStart));
      Duration parsed;
      switch (text.substring(unitStart).trim()) {
        case "":
        case "ms":
          parsed = Duration.ofMillis(amount);
          break;
        case "ns":
          parsed = Duration.ofNanos(amount);
          break;
        case "us":
          parsed = Duration.ofNanos(amount * 1_000);
          break;
        case "s":
          parsed = Duration.ofSeconds(amount);
          break;
        case "m":
          parsed = Duration.ofMinutes(amount);
          break;
        default:
          parsed = null;
          break;
      }
      // The agent works in nanoseconds: a duration that does not fit them is rejected here.
      if (parsed != null && parsed.compareTo(MAX_DURATION) <= 0) {
        return parsed;
      }
    }
    throw new ConfigException(
        key
            + "="
            + value
            + " is not valid; accepted values: a duration such as 500us, 10ms, 2s or 1m, at most 365 days");
  }
}
