package io.cachelens.agent.instrument;

import io.cachelens.agent.AgentLog;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.instrumentation.jedis.JedisInstrumentation;
import io.cachelens.instrumentation.lettuce.LettuceInstrumentation;
import io.cachelens.instrumentation.spi.ClientClassTransformer;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Finds the instrumentation modules and builds one transformer for all of them. It is only ever
 * shown the classes the modules name, so class loading elsewhere, including the rest of the
 * clients, pays nothing.
 */
public final class InstrumentationInstaller {
  /** The releases the modules support, for the line logged when another one is found. */
  static final String SUPPORTED = "Jedis 4.x to 8.x, Lettuce 6.1 to 7.x";

  private InstrumentationInstaller() {}

  /** The enabled modules and the internal names of the classes they transform. */
  public record Modules(List<ClientInstrumentation> modules, Set<String> internalNames) {}

  /**
   * Finds the enabled modules. Cheap (no Byte Buddy class is loaded), so premain can tell the gate
   * at once which classes to hold back.
   */
  public static Modules enabledModules(AgentConfig config) {
    List<ClientInstrumentation> modules = new ArrayList<>();
    Set<String> internalNames = new HashSet<>();
    for (ClientInstrumentation module : builtInModules()) {
      if (!config.instrumentationEnabled(module.name())) {
        AgentLog.info("instrumentation " + module.name() + " disabled by configuration");
        continue;
      }
      modules.add(module);
      for (String binaryName : module.instrumentedTypes()) {
        internalNames.add(binaryName.replace('.', '/'));
      }
    }
    return new Modules(List.copyOf(modules), Set.copyOf(internalNames));
  }

  /**
   * The modules in the agent jar. Listed rather than found with {@link java.util.ServiceLoader}:
   * the agent's classes are on the bootstrap class path, so a service lookup would search the
   * application's whole class path, opening every jar on the premain thread.
   */
  static List<ClientInstrumentation> builtInModules() {
    return List.of(new JedisInstrumentation(), new LettuceInstrumentation());
  }

  /**
   * Builds one transformer for the modules, without registering it: the caller hands it to the
   * {@link DeferredTransformer} registered at premain. The modules' advice is read from {@code
   * agentJar}.
   */
  public static ClientClassTransformer build(AgentConfig config, Modules modules, File agentJar)
      throws IOException {
    for (ClientInstrumentation module : modules.modules()) {
      module.registerCommandReader();
    }
    return new ClientClassTransformer(
        modules.modules(),
        ClassFileLocator.ForJarFile.of(agentJar),
        new TransformLog(config.debug()));
  }

  /**
   * Says once what did not get instrumented: a client release outside the supported range (the
   * class is one the modules name, but their version landmarks rejected it), or a class Byte Buddy
   * failed to transform. Either way the class loads unchanged and the service runs.
   */
  private static final class TransformLog implements ClientClassTransformer.Listener {
    private final boolean debug;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TransformLog(boolean debug) {
      this.debug = debug;
    }

    @Override
    public void unsupported(String typeName, ClassLoader loader) {
      if (reported.add(clientFamily(typeName))) {
        AgentLog.info(
            typeName
                + " is from a client release CacheLens does not instrument (supported: "
                + SUPPORTED
                + "); that client runs uninstrumented");
      }
    }

    @Override
    public void failed(String typeName, ClassLoader loader, Throwable error) {
      if (reported.add("error:" + typeName) || debug) {
        AgentLog.info("could not instrument " + typeName + ", it runs uninstrumented: " + error);
      }
    }

    @Override
    public void transformed(String typeName, ClassLoader loader) {
      if (debug) {
        AgentLog.info("instrumented " + typeName);
      }
    }

    /** {@code redis.clients.jedis.Connection} → {@code redis.clients}: one line per client. */
    static String clientFamily(String typeName) {
      int first = typeName.indexOf('.');
      int second = first < 0 ? -1 : typeName.indexOf('.', first + 1);
      return second < 0 ? typeName : typeName.substring(0, second);
    }
  }
}
