package io.cachelens.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.cachelens.agent.AgentLog;
import io.cachelens.agent.config.AgentConfig;
import io.cachelens.instrumentation.spi.ClientInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
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
 * Finds the instrumentation modules and installs their advice with one Byte Buddy agent builder
 * that only ever looks at the clients' own packages, so class loading elsewhere in the service pays
 * nothing.
 */
public final class InstrumentationInstaller {
  private static final String[] CLIENT_PACKAGES = {"redis.clients.jedis.", "io.lettuce.core."};

  private InstrumentationInstaller() {}

  /**
   * Builds the transformer of every enabled module, without registering it: the caller hands it to
   * the {@link DeferredTransformer} registered at premain. Returns the names of the modules it
   * holds.
   */
  public static List<String> build(
      AgentConfig config, AtomicInteger transformErrors, List<ClassFileTransformer> result) {
    // Raw types spare Byte Buddy resolving generic signatures the advice never needs (the constant
    // is relocated with Byte Buddy, so this sets the shaded copy's property, not the service's).
    if (System.getProperty(TypeDefinition.RAW_TYPES_PROPERTY) == null) {
      System.setProperty(TypeDefinition.RAW_TYPES_PROPERTY, "true");
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
            .ignore(not(clientPackages()));
    List<String> installed = new ArrayList<>();
    for (ClientInstrumentation module :
        ServiceLoader.load(
            ClientInstrumentation.class, InstrumentationInstaller.class.getClassLoader())) {
      if (!config.instrumentationEnabled(module.name())) {
        AgentLog.info("instrumentation " + module.name() + " disabled by configuration");
        continue;
      }
      builder = module.instrument(builder);
      installed.add(module.name());
    }
    result.add(builder.makeRaw());
    return installed;
  }

  private static net.bytebuddy.matcher.ElementMatcher.Junction<TypeDescription> clientPackages() {
    net.bytebuddy.matcher.ElementMatcher.Junction<TypeDescription> matcher =
        nameStartsWith(CLIENT_PACKAGES[0]);
    for (int i = 1; i < CLIENT_PACKAGES.length; i++) {
      matcher = matcher.or(nameStartsWith(CLIENT_PACKAGES[i]));
    }
    return matcher;
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
