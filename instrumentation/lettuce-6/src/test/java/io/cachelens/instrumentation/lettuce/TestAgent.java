package io.cachelens.instrumentation.lettuce;

import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.spi.ClientClassTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LettuceInstrumentation} into this JVM with the agent's own transformer (only
 * classes loaded afterwards are transformed), with a {@link RecordingSink}. Runs from a JUnit
 * launcher session listener, before any test class (and so any Lettuce class) is loaded.
 */
public final class TestAgent {
  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();
  private static final Set<String> TRANSFORMED = ConcurrentHashMap.newKeySet();
  private static volatile boolean installed;

  private TestAgent() {}

  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    RedisEvents.install(RecordingSink.INSTANCE);
    Instrumentation instrumentation = ByteBuddyAgent.install();
    LettuceInstrumentation module = new LettuceInstrumentation();
    module.registerCommandReader();
    instrumentation.addTransformer(
        new ClientClassTransformer(
            List.of(module),
            new ClientClassTransformer.Listener() {
              @Override
              public void transformed(String typeName, ClassLoader loader) {
                TRANSFORMED.add(typeName);
              }

              @Override
              public void unsupported(String typeName, ClassLoader loader) {}

              @Override
              public void failed(String typeName, ClassLoader loader, Throwable error) {
                ERRORS.add(typeName + ": " + error);
                error.printStackTrace();
              }
            }),
        false);
  }

  /** Transformation failures so far (should stay empty). */
  public static List<String> errors() {
    return ERRORS;
  }

  /** Names of the classes transformed so far. */
  public static Set<String> transformed() {
    return TRANSFORMED;
  }

  /** Registered in META-INF/services: installs before tests are discovered. */
  public static final class Installer implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
      install();
    }
  }
}
