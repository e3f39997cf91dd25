package io.cachelens.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where raw settings come from, in order of precedence: system property {@code cachelens.x.y},
 * environment variable {@code CACHELENS_X_Y}, then the optional properties file ({@code
 * cachelens.config}, default {@code ./cachelens.properties}).
 */
public final class ConfigSource {
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Properties file;

  ConfigSource(
      Map<String, String> systemProperties, Map<String, String> environment, Properties file) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.file = file;
  }

  /** Reads the process's system properties, environment and properties file. */
  public static ConfigSource fromProcess() {
    Map<String, String> properties = new java.util.HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      properties.put(name, System.getProperty(name));
    }
    return of(properties, System.getenv());
  }

  /** A source over the given maps, reading the properties file they point to. */
  public static ConfigSource of(
      Map<String, String> systemProperties, Map<String, String> environment) {
    String explicit = systemProperties.get("cachelens.config");
    if (explicit == null) {
      explicit = environment.get("CACHELENS_CONFIG");
    }
    Properties file = new Properties();
    Path path = explicit != null ? Paths.get(explicit) : Paths.get("cachelens.properties");
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        file.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(
            "cannot read the configuration file " + path + ": " + e.getMessage());
      }
    } else if (explicit != null) {
      throw new ConfigException(
          "cachelens.config names " + path + ", which is not a readable file");
    }
    return new ConfigSource(systemProperties, environment, file);
  }

  /** The raw value of a {@code cachelens.*} or {@code otel.*} key, or null. */
  public String get(String key) {
    String value = systemProperties.get(key);
    if (value == null) {
      value = environment.get(environmentName(key));
    }
    if (value == null) {
      value = file.getProperty(key);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /**
   * The raw value from system properties and the environment only, ignoring the properties file:
   * for {@code otel.*} keys, which the OpenTelemetry SDK reads from those two sources alone.
   */
  public String getFromProcess(String key) {
    String value = systemProperties.get(key);
    if (value == null) {
      value = environment.get(environmentName(key));
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** {@code cachelens.spans.root} → {@code CACHELENS_SPANS_ROOT}. */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
