package io.cachelens.testing.jvm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Class path entries for forked JVMs: client libraries, test classes, jars of this JVM. */
public final class Classpaths {

  /** System property naming the directory with one folder per client release under test. */
  public static final String CLIENTS_DIR_PROPERTY = "cachelens.clients.dir";

  private Classpaths() {}

  /**
   * The jars of one client release, such as {@code "jedis-8.0.2"}: every {@code *.jar} in {@code
   * ${cachelens.clients.dir}/<name>/target/lib}, sorted by file name.
   *
   * @throws IllegalStateException when the property is unset or the jars are missing
   */
  public static List<Path> clientLibrary(String name) {
    String clientsDir = System.getProperty(CLIENTS_DIR_PROPERTY);
    if (clientsDir == null || clientsDir.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + CLIENTS_DIR_PROPERTY
              + " is not set; it names agent-tests/clients (the agent-tests pom sets it for"
              + " surefire)");
    }
    Path lib = Paths.get(clientsDir, name, "target", "lib");
    List<Path> jars = new ArrayList<>();
    if (Files.isDirectory(lib)) {
      try (Stream<Path> files = Files.list(lib)) {
        files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
      } catch (IOException e) {
        throw new UncheckedIOException("could not list " + lib, e);
      }
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException(
          "no jars for client "
              + name
              + " in "
              + lib
              + ": run mvn package first (for example mvn -pl agent-tests/clients/"
              + name
              + " package)");
    }
    return Collections.unmodifiableList(jars);
  }

  /**
   * The class path root of the calling class: for a test in this module, its {@code
   * target/test-classes} directory.
   */
  public static Path testClasses() {
    Class<?> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    return locationOf(caller);
  }

  /** The class path entry (directory or jar) that {@code type} was loaded from. */
  public static Path locationOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IllegalArgumentException(type.getName() + " has no code source (a JDK class?)");
    }
    try {
      return Paths.get(source.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad code source for " + type.getName(), e);
    }
  }

  /**
   * The jars on this JVM's {@code java.class.path} whose file name starts with one of the prefixes,
   * such as {@code "opentelemetry-api-"}, in class path order. Note that a prefix matches every
   * artifact it begins: {@code "opentelemetry-api-"} also matches {@code
   * opentelemetry-api-incubator-*.jar}; include the version's first digit to be exact.
   *
   * @throws IllegalStateException when a prefix matches no jar
   */
  public static List<Path> fromCurrentClasspath(String... artifactPrefixes) {
    List<Path> entries =
        Arrays.stream(System.getProperty("java.class.path", "").split(File.pathSeparator))
            .filter(entry -> !entry.isEmpty())
            .map(Paths::get)
            .filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".jar"))
            .collect(Collectors.toList());
    List<Path> matches = new ArrayList<>();
    for (String prefix : artifactPrefixes) {
      boolean found = false;
      for (Path entry : entries) {
        if (entry.getFileName().toString().startsWith(prefix)) {
          found = true;
          if (!matches.contains(entry)) {
            matches.add(entry);
          }
        }
      }
      if (!found) {
        throw new IllegalStateException(
            "no jar on java.class.path starts with \""
                + prefix
                + "\"; add the artifact as a test dependency");
      }
    }
    matches.sort(Comparator.comparingInt(entries::indexOf));
    return Collections.unmodifiableList(matches);
  }
}
