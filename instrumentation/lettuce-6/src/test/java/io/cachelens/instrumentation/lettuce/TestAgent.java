package io.cachelens.instrumentation.lettuce;

import io.cachelens.instrumentation.api.RedisEvents;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link LettuceInstrumentation} into this JVM the way the agent does
 * (RedefinitionStrategy DISABLED, so only classes loaded afterwards are transformed), with a {@link
 * RecordingSink}. Runs from a JUnit launcher session listener, before any test class (and so any
 * Lettuce class) is loaded.
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
    AgentBuilder builder =
        new AgentBuilder.Default()
            .with(AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(
                new AgentBuilder.Listener.Adapter() {
                  @Override
                  public void onTransformation(
                      TypeDescription typeDescription,
                      ClassLoader classLoader,
                      JavaModule module,
                      boolean loaded,
                      DynamicType dynamicType) {
                    TRANSFORMED.add(typeDescription.getName());
                  }

                  @Override
                  public void onError(
                      String typeName,
                      ClassLoader classLoader,
                      JavaModule module,
                      boolean loaded,
                      Throwable throwable) {
                    ERRORS.add(typeName + ": " + throwable);
                    throwable.printStackTrace();
                  }
                });
    new LettuceInstrumentation().instrument(builder).installOn(instrumentation);
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
