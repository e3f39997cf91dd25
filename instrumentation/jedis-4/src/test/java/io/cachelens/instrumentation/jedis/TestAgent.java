package io.cachelens.instrumentation.jedis;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.cachelens.instrumentation.api.RedisEvents;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs {@link JedisInstrumentation} into this JVM the way the agent does (same Byte Buddy
 * settings), before any Jedis class loads, with a {@link RecordingSink}. Every test class calls
 * {@link #install()} from its static initializer, so the first of them installs it.
 */
final class TestAgent {
  static final RecordingSink SINK = new RecordingSink();
  static final List<String> TRANSFORMED = new CopyOnWriteArrayList<>();
  static final List<String> ERRORS = new CopyOnWriteArrayList<>();

  private static boolean installed;

  private TestAgent() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Instrumentation instrumentation = ByteBuddyAgent.install();
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .with(AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(AgentBuilder.PoolStrategy.Default.FAST)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(
                new AgentBuilder.Listener.Adapter() {
                  @Override
                  public void onTransformation(
                      TypeDescription type,
                      ClassLoader loader,
                      JavaModule module,
                      boolean loaded,
                      DynamicType dynamicType) {
                    TRANSFORMED.add(type.getName());
                  }

                  @Override
                  public void onError(
                      String typeName,
                      ClassLoader loader,
                      JavaModule module,
                      boolean loaded,
                      Throwable throwable) {
                    ERRORS.add(typeName + ": " + throwable);
                    throwable.printStackTrace();
                  }
                })
            .ignore(not(nameStartsWith("redis.clients.jedis.")))
            .ignore(
                net.bytebuddy.matcher.ElementMatchers.any(),
                loader -> loader instanceof Uninstrumented);
    new JedisInstrumentation().instrument(builder).installOn(instrumentation);
    RedisEvents.install(SINK);
    installed = true;
  }

  /** Class loaders the instrumentation must leave alone: for baseline measurements. */
  static final class Uninstrumented extends java.net.URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    Uninstrumented(java.net.URL[] urls) {
      super("uninstrumented", urls, ClassLoader.getPlatformClassLoader());
    }
  }
}
