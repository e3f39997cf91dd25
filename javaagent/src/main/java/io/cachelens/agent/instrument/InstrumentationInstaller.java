package io.cachelens.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.cachelens.agent.AgentLog;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Finds the instrumentation modules and builds one Byte Buddy transformer for all of them. It is
 * only ever shown the classes the modules name, so class loading elsewhere, including the rest of
 * the clients, pays nothing.
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
    for (ClientInstrumentation module :
        ServiceLoader.load(
            ClientInstrumentation.class, InstrumentationInstaller.class.getClassLoader())) {
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
   * Builds one transformer for the modules, without registering it: the caller hands it to the
   * {@link DeferredTransformer} registered at premain.
   */
  public static ClassFileTransformer build(AgentConfig config, Modules modules) {
    // Raw types spare Byte Buddy resolving generic signatures the advice never needs (the constant
    // is relocated with Byte Buddy, so this sets the shaded copy's property, not the service's).
    if (System.getProperty(TypeDefinition.RAW_TYPES_PROPERTY) == null) {
      System.setProperty(TypeDefinition.RAW_TYPES_PROPERTY, "true");
    }
    Set<String> binaryNames = new HashSet<>();
    for (String internalName : modules.internalNames()) {
      binaryNames.add(internalName.replace('/', '.'));
    }
    AgentBuilder builder =
        new AgentBuilder.Default(
                new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    // Advice and the StateCarrier accessors only need the methods a class declares;
                    // resolving its whole hierarchy (Netty's, for Lettuce) cost ~100 ms at
                    // start-up.
                    .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
            .with(AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(
                new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(
                    TypePool.Default.ReaderMode.FAST, new ConcurrentHashMap<>()))
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new TransformListener(config.debug()))
            .ignore(not(namedOneOf(binaryNames.toArray(new String[0]))));
    for (ClientInstrumentation module : modules.modules()) {
      builder = module.instrument(builder);
    }
    return builder.makeRaw();
  }

  /**
   * Says once what did not get instrumented: a client release outside the supported range (the
   * class is one the modules name, but their version landmarks rejected it), or a class Byte Buddy
   * failed to transform. Either way the class loads unchanged and the service runs.
   */
  private static final class TransformListener extends AgentBuilder.Listener.Adapter {
    private final boolean debug;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TransformListener(boolean debug) {
      this.debug = debug;
    }

    @Override
    public void onIgnored(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded) {
      String name = typeDescription.getName();
      if (reported.add(clientFamily(name))) {
        AgentLog.info(
            name
                + " is from a client release CacheLens does not instrument (supported: "
                + SUPPORTED
                + "); that client runs uninstrumented");
      }
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      if (reported.add("error:" + typeName) || debug) {
        AgentLog.info(
            "could not instrument " + typeName + ", it runs uninstrumented: " + throwable);
      }
    }

    @Override
    public void onTransformation(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      if (debug) {
        AgentLog.info("instrumented " + typeDescription.getName());
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
