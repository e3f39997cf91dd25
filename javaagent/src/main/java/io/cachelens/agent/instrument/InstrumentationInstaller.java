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
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Finds the instrumentation modules and builds one Byte Buddy transformer for all of them. It is
 * only ever shown the classes the modules name, so class loading elsewhere, including the rest of
 * the clients, pays nothing.
 */
public final class InstrumentationInstaller {

  private InstrumentationInstaller() {}

  /** The transformer, the modules it holds and the internal names of the classes it transforms. */
  public record Built(ClassFileTransformer transformer, List<String> modules, Set<String> types) {}

  /**
   * Builds the transformer of every enabled module, without registering it: the caller hands it to
   * the {@link DeferredTransformer} registered at premain.
   */
  public static Built build(AgentConfig config, AtomicInteger transformErrors) {
    // Raw types spare Byte Buddy resolving generic signatures the advice never needs (the constant
    // is relocated with Byte Buddy, so this sets the shaded copy's property, not the service's).
    if (System.getProperty(TypeDefinition.RAW_TYPES_PROPERTY) == null) {
      System.setProperty(TypeDefinition.RAW_TYPES_PROPERTY, "true");
    }
    List<ClientInstrumentation> modules = new ArrayList<>();
    Set<String> binaryNames = new HashSet<>();
    for (ClientInstrumentation module :
        ServiceLoader.load(
            ClientInstrumentation.class, InstrumentationInstaller.class.getClassLoader())) {
      if (!config.instrumentationEnabled(module.name())) {
        AgentLog.info("instrumentation " + module.name() + " disabled by configuration");
        continue;
      }
      modules.add(module);
      binaryNames.addAll(module.instrumentedTypes());
    }
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .with(AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(
                new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(
                    TypePool.Default.ReaderMode.FAST, new ConcurrentHashMap<>()))
            .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new ErrorListener(config.debug(), transformErrors))
            .ignore(not(namedOneOf(binaryNames.toArray(new String[0]))));
    List<String> names = new ArrayList<>();
    for (ClientInstrumentation module : modules) {
      builder = module.instrument(builder);
      names.add(module.name());
    }
    Set<String> internalNames = new HashSet<>();
    for (String binaryName : binaryNames) {
      internalNames.add(binaryName.replace('.', '/'));
    }
    return new Built(builder.makeRaw(), List.copyOf(names), Set.copyOf(internalNames));
  }

  /**
   * Counts transformation failures (the class then loads unchanged) and logs them in debug mode.
   */
  private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
    private final boolean debug;
    private final AtomicInteger errors;

    ErrorListener(boolean debug, AtomicInteger errors) {
      this.debug = debug;
      this.errors = errors;
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      errors.incrementAndGet();
      if (debug) {
        AgentLog.info("could not instrument " + typeName + ": " + throwable);
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
  }
}
