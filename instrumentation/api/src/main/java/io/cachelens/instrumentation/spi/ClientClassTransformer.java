package io.cachelens.instrumentation.spi;

import io.cachelens.instrumentation.api.StateCarrier;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.pool.TypePool;

/**
 * Applies the modules' {@link TypeInstrumentation}s to the client classes they name, with Byte
 * Buddy's type pool, decoration and {@link Advice} and nothing else; added fields and accessors are
 * written by {@link MemberAdditions}.
 *
 * <p>It stands in for Byte Buddy's {@code AgentBuilder}, whose transformer generates and loads a
 * class of its own on first use: 150 ms of a cold JVM's start-up that this agent, which only ever
 * transforms a dozen named classes as they first load, has no use for. Thread-safe; every
 * transformation works on its own type pool, so nothing is shared between class loaders.
 */
public final class ClientClassTransformer implements ClassFileTransformer {
  /** Told what happened to each class the modules name; must not throw. */
  public interface Listener {
    /** The class was transformed. */
    void transformed(String typeName, ClassLoader loader);

    /** The class is from a release no module supports; it loads unchanged. */
    void unsupported(String typeName, ClassLoader loader);

    /** Transforming the class failed; it loads unchanged. */
    void failed(String typeName, ClassLoader loader, Throwable error);
  }

  /** A type instrumentation and where its module's advice class files are read from. */
  private record Target(TypeInstrumentation instrumentation, ClassFileLocator adviceLocator) {}

  private final Map<String, List<Target>> targets;
  private final ByteBuddy byteBuddy;
  private final Listener listener;

  /**
   * @throws IllegalArgumentException if a module instruments a class it does not list in {@link
   *     ClientInstrumentation#instrumentedTypes()}
   */
  public ClientClassTransformer(List<ClientInstrumentation> modules, Listener listener) {
    // Raw types spare Byte Buddy resolving generic signatures the advice never needs (in the agent
    // the constant is relocated with Byte Buddy, so this sets the shaded copy's property only).
    if (System.getProperty(TypeDefinition.RAW_TYPES_PROPERTY) == null) {
      System.setProperty(TypeDefinition.RAW_TYPES_PROPERTY, "true");
    }
    Map<String, List<Target>> byInternalName = new HashMap<>();
    for (ClientInstrumentation module : modules) {
      ClassFileLocator adviceLocator =
          ClassFileLocator.ForClassLoader.of(module.getClass().getClassLoader());
      Set<String> declared = new HashSet<>(module.instrumentedTypes());
      for (TypeInstrumentation instrumentation : module.typeInstrumentations()) {
        for (String typeName : instrumentation.typeNames()) {
          if (!declared.contains(typeName)) {
            throw new IllegalArgumentException(
                module.name() + " instruments " + typeName + " but does not list it");
          }
          byInternalName
              .computeIfAbsent(typeName.replace('.', '/'), name -> new ArrayList<>())
              .add(new Target(instrumentation, adviceLocator));
        }
      }
    }
    byInternalName.replaceAll((name, list) -> List.copyOf(list));
    this.targets = Map.copyOf(byInternalName);
    this.byteBuddy =
        new ByteBuddy()
            .with(TypeValidation.DISABLED)
            // Advice only needs the methods a class declares; resolving its whole hierarchy
            // (Netty's, for Lettuce) cost ~100 ms at start-up.
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    this.listener = listener;
  }

  /** The internal names ({@code redis/clients/jedis/Connection}) of the classes it transforms. */
  public Set<String> internalNames() {
    return targets.keySet();
  }

  // The JVM calls this variant (since Java 9); the one without a module is never used.
  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    List<Target> named = className == null ? null : targets.get(className);
    if (named == null) {
      return null;
    }
    String typeName = className.replace('/', '.');
    try {
      List<Target> supported = new ArrayList<>(named.size());
      for (Target target : named) {
        if (target.instrumentation().supports(loader)) {
          supported.add(target);
        }
      }
      if (supported.isEmpty()) {
        listener.unsupported(typeName, loader);
        return null;
      }
      byte[] transformed = apply(typeName, loader, classfileBuffer, supported);
      listener.transformed(typeName, loader);
      return transformed;
    } catch (Throwable t) {
      try {
        listener.failed(typeName, loader, t);
      } catch (Throwable ignored) {
        // Class loading must go on whatever the listener does.
      }
      return null;
    }
  }

  private byte[] apply(
      String typeName, ClassLoader loader, byte[] classFile, List<Target> supported)
      throws Exception {
    List<ClassFileLocator> locators = new ArrayList<>();
    locators.add(ClassFileLocator.Simple.of(typeName, classFile));
    for (Target target : supported) {
      if (!locators.contains(target.adviceLocator())) {
        locators.add(target.adviceLocator());
      }
    }
    locators.add(ClassFileLocator.ForClassLoader.of(loader));
    ClassFileLocator locator = new ClassFileLocator.Compound(locators);
    // One pool per transformation: it reads the class, the advice and whatever client types the
    // advice's signatures name, and is dropped with the class loader's reference afterwards.
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(typeName).resolve();
    List<TypeInstrumentation.AddedField> fields = new ArrayList<>();
    String stateCarrierField = null;
    for (Target target : supported) {
      fields.addAll(target.instrumentation().fields());
      if (target.instrumentation().stateCarrierField() != null) {
        stateCarrierField = target.instrumentation().stateCarrierField();
      }
    }
    DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
    TypeDescription adviceView = type;
    if (!fields.isEmpty() || stateCarrierField != null) {
      builder = builder.visit(new MemberAdditions(fields, stateCarrierField));
      adviceView = withAddedMembers(type, fields, stateCarrierField != null);
    }
    for (Target target : supported) {
      for (TypeInstrumentation.AdviceBinding binding : target.instrumentation().advice()) {
        TypeDescription advice = pool.describe(binding.adviceClassName()).resolve();
        builder =
            builder.visit(
                new SeeingAddedMembers(
                    adviceView,
                    Advice.to(advice, locator)
                        .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING)
                        .on(binding.methods())));
      }
    }
    DynamicType.Unloaded<?> made = builder.make(pool);
    // Nothing would inject or initialize helper classes: a module that needs them must fail here,
    // in its tests, rather than leave a class half working in a service.
    if (!made.getAuxiliaryTypes().isEmpty() || made.hasAliveLoadedTypeInitializers()) {
      throw new IllegalStateException(
          typeName + " would need helper classes or initializers, which this transformer omits");
    }
    return made.getBytes();
  }

  /** The class as its advice sees it: with the fields (and interface) the transformation adds. */
  private static TypeDescription withAddedMembers(
      TypeDescription type, List<TypeInstrumentation.AddedField> fields, boolean stateCarrier) {
    InstrumentedType view = InstrumentedType.Factory.Default.MODIFIABLE.represent(type);
    for (TypeInstrumentation.AddedField field : fields) {
      view =
          view.withField(
              new FieldDescription.Token(
                  field.name(),
                  field.modifiers(),
                  TypeDescription.ForLoadedType.of(field.type()).asGenericType()));
    }
    if (stateCarrier) {
      view =
          view.withInterfaces(
              new TypeList.Generic.Explicit(TypeDescription.ForLoadedType.of(StateCarrier.class)));
    }
    return view;
  }

  /**
   * Hands advice the class with its added fields, so {@code @Advice.FieldValue} finds them: the
   * class is only decorated, and Byte Buddy would otherwise describe it as its class file reads.
   */
  private static final class SeeingAddedMembers implements AsmVisitorWrapper {
    private final TypeDescription view;
    private final AsmVisitorWrapper advice;

    SeeingAddedMembers(TypeDescription view, AsmVisitorWrapper advice) {
      this.view = view;
      this.advice = advice;
    }

    @Override
    public int mergeWriter(int flags) {
      return advice.mergeWriter(flags);
    }

    @Override
    public int mergeReader(int flags) {
      return advice.mergeReader(flags);
    }

    @Override
    public ClassVisitor wrap(
        TypeDescription instrumentedType,
        ClassVisitor classVisitor,
        Implementation.Context implementationContext,
        TypePool typePool,
        FieldList<FieldDescription.InDefinedShape> fields,
        MethodList<?> methods,
        int writerFlags,
        int readerFlags) {
      return advice.wrap(
          view,
          classVisitor,
          implementationContext,
          typePool,
          fields,
          methods,
          writerFlags,
          readerFlags);
    }
  }
}
