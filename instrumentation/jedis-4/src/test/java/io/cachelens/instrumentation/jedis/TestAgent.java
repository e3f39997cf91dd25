package io.cachelens.instrumentation.jedis;

import io.cachelens.instrumentation.api.RedisEvents;
import io.cachelens.instrumentation.spi.ClientClassTransformer;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Installs {@link JedisInstrumentation} into this JVM with the agent's own transformer, before any
 * Jedis class loads, with a {@link RecordingSink}. Every test class calls {@link #install()} from
 * its static initializer, so the first of them installs it.
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
    JedisInstrumentation module = new JedisInstrumentation();
    module.registerCommandReader();
    ClientClassTransformer transformer =
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
            });
    instrumentation.addTransformer(
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              Module javaModule,
              ClassLoader loader,
              String className,
              Class<?> classBeingRedefined,
              ProtectionDomain protectionDomain,
              byte[] classfileBuffer) {
            return loader instanceof Uninstrumented
                ? null
                : transformer.transform(
                    javaModule,
                    loader,
                    className,
                    classBeingRedefined,
                    protectionDomain,
                    classfileBuffer);
          }
        },
        false);
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
