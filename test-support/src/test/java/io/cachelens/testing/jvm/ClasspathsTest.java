package io.cachelens.testing.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.testing.otlp.OtlpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathsTest {

  private final String previousClientsDir = System.getProperty(Classpaths.CLIENTS_DIR_PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (previousClientsDir == null) {
      System.clearProperty(Classpaths.CLIENTS_DIR_PROPERTY);
    } else {
      System.setProperty(Classpaths.CLIENTS_DIR_PROPERTY, previousClientsDir);
    }
  }

  @Test
  void testClassesIsTheCallersClassDirectory() {
    Path testClasses = Classpaths.testClasses();

    assertThat(testClasses).endsWith(Path.of("target", "test-classes")).isDirectory();
    assertThat(testClasses.resolve("io/cachelens/testing/jvm/ClasspathsTest.class")).exists();
    assertThat(Classpaths.locationOf(OtlpReceiver.class)).endsWith(Path.of("target", "classes"));
  }

  @Test
  void fromCurrentClasspathPicksJarsByPrefix() {
    assertThat(Classpaths.fromCurrentClasspath("protobuf-java-", "opentelemetry-proto-"))
        .hasSize(2)
        .allSatisfy(jar -> assertThat(jar).isRegularFile())
        .anySatisfy(jar -> assertThat(jar.getFileName().toString()).startsWith("protobuf-java-4"));
    assertThatThrownBy(() -> Classpaths.fromCurrentClasspath("no-such-artifact-"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-artifact-");
  }

  @Test
  void clientLibraryListsTheReleaseJars(@TempDir Path clients) throws Exception {
    Path lib = Files.createDirectories(clients.resolve("jedis-8.0.2/target/lib"));
    Files.createFile(lib.resolve("jedis-8.0.2.jar"));
    Files.createFile(lib.resolve("commons-pool2-2.12.0.jar"));
    Files.createFile(lib.resolve("README.txt"));
    System.setProperty(Classpaths.CLIENTS_DIR_PROPERTY, clients.toString());

    assertThat(Classpaths.clientLibrary("jedis-8.0.2"))
        .containsExactly(lib.resolve("commons-pool2-2.12.0.jar"), lib.resolve("jedis-8.0.2.jar"));
    assertThatThrownBy(() -> Classpaths.clientLibrary("lettuce-6.1.10"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lettuce-6.1.10")
        .hasMessageContaining("run mvn package first");
  }

  @Test
  void clientLibraryNeedsTheClientsDirectoryProperty() {
    System.clearProperty(Classpaths.CLIENTS_DIR_PROPERTY);

    assertThatThrownBy(() -> Classpaths.clientLibrary("jedis-8.0.2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Classpaths.CLIENTS_DIR_PROPERTY);
  }
}
