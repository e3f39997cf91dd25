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
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Applies the modules' {@link TypeInstrumentation}s to the client classes they name, with Byte
 * Buddy's type pool and {@link Advice} over one ASM pass: the class file streams from a reader to a
 * writer built on it, {@link MemberAdditions} adds the fields and accessors, and each advised
 * method's visitor is wrapped in its advice. Methods no advice matches reach the writer untouched,
 * which copies their bytes without parsing them.
 *
 * <p>It stands in for Byte Buddy's {@code AgentBuilder} and type builders, whose machinery (a
 * generated class of its own, the method registry, the type writer) cost a cold JVM 150 ms more at
 * start-up than this agent, which only ever transforms a dozen named classes as they first load,
 * needs. Thread-safe; every transformation works on its own type pool, so nothing is shared between
 * class loaders.
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
  private final Listener listener;

  /** Where the modules' advice, and this package's stand-in for {@link #warmUp()}, are read. */
  private final ClassFileLocator ownClassFiles;

  /** Whether a transformation has run, so warming up is pointless. */
  private volatile boolean warm;

  /**
   * Reads each module's advice through the module's class loader.
   *
   * @throws IllegalArgumentException if a module instruments a class it does not list in {@link
   *     ClientInstrumentation#instrumentedTypes()}
   */
  public ClientClassTransformer(List<ClientInstrumentation> modules, Listener listener) {
    this(modules, null, listener);
  }

  /**
   * Reads the modules' advice from {@code adviceClassFiles}, or through each module's class loader
   * when it is null. The agent passes its own jar: its modules sit on the bootstrap class path,
   * whose resources Java code cannot read, and finding them through the system class loader would
   * search the whole application class path first.
   *
   * @throws IllegalArgumentException if a module instruments a class it does not list in {@link
   *     ClientInstrumentation#instrumentedTypes()}
   */
  public ClientClassTransformer(
      List<ClientInstrumentation> modules, ClassFileLocator adviceClassFiles, Listener listener) {
    // Raw types spare Byte Buddy resolving generic signatures the advice never needs (in the agent
    // the constant is relocated with Byte Buddy, so this sets the shaded copy's property only).
    if (System.getProperty(TypeDefinition.RAW_TYPES_PROPERTY) == null) {
      System.setProperty(TypeDefinition.RAW_TYPES_PROPERTY, "true");
    }
    Map<String, List<Target>> byInternalName = new HashMap<>();
    for (ClientInstrumentation module : modules) {
      ClassFileLocator adviceLocator =
          adviceClassFiles != null
              ? adviceClassFiles
              : ClassFileLocator.ForClassLoader.of(module.getClass().getClassLoader());
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
    this.listener = listener;
    this.ownClassFiles =
        adviceClassFiles != null
            ? adviceClassFiles
            : ClassFileLocator.ForClassLoader.of(ClientClassTransformer.class.getClassLoader());
  }

  /**
   * Transforms a stand-in class of this package and discards the result: the first transformation
   * loads and initializes most of what every transformation needs, and a background thread can pay
   * for that while the service starts, instead of the thread that first loads a client class.
   *
   * @return whether the stand-in was transformed, or had no need to be because a class already was
   *     (false only if this transformer is broken, which the client classes' transformations then
   *     report)
   */
  public boolean warmUp() {
    if (warm) {
      return true;
    }
    try {
      String name = WarmUpTarget.class.getName();
      TypeInstrumentation standIn =
          TypeInstrumentation.forTypes(name)
              .supportedIn(ElementMatchers.any())
              .field(WarmUpAdvice.CALLS, int.class)
              .field(WarmUpAdvice.STATE, Object.class)
              .stateCarrier(WarmUpAdvice.STATE)
              .advice(ElementMatchers.named("run"), WarmUpAdvice.class.getName())
              .build();
      byte[] classFile = ownClassFiles.locate(name).resolve();
      apply(
          name,
          ClassLoader.getSystemClassLoader(),
          classFile,
          List.of(new Target(standIn, ownClassFiles)));
      return true;
    } catch (Exception | LinkageError e) {
      return false;
    }
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
    List<MethodAdvice> advice = new ArrayList<>();
    for (Target target : supported) {
      fields.addAll(target.instrumentation().fields());
      if (target.instrumentation().stateCarrierField() != null) {
        stateCarrierField = target.instrumentation().stateCarrierField();
      }
      for (TypeInstrumentation.AdviceBinding binding : target.instrumentation().advice()) {
        TypeDescription adviceType = pool.describe(binding.adviceClassName()).resolve();
        advice.add(
            new MethodAdvice(
                binding.methods(),
                Advice.to(adviceType, locator)
                    .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING)));
      }
    }
    boolean addsMembers = !fields.isEmpty() || stateCarrierField != null;
    TypeDescription adviceView =
        addsMembers ? new WithAddedMembers(type, fields, stateCarrierField != null) : type;
    ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
    // A disabled context refuses helper classes, fields and accessors: a module that needs them
    // fails here, in its tests, rather than leave a class half working in a service.
    Implementation.Context context =
        Implementation.Context.Disabled.Factory.INSTANCE.make(
            adviceView,
            new AuxiliaryType.NamingStrategy.Enumerating("cachelens"),
            TypeInitializer.None.INSTANCE,
            version,
            version,
            version.isAtLeast(ClassFileVersion.JAVA_V6)
                ? Implementation.Context.FrameGeneration.EXPAND
                : Implementation.Context.FrameGeneration.DISABLED);
    ClassReader reader = OpenedClassReader.of(classFile);
    // Built on the reader: methods no advice touches are copied as they are, unparsed.
    ClassWriter writer = new ClassWriter(reader, 0);
    ClassVisitor visitor = writer;
    if (addsMembers) {
      visitor = new MemberAdditions(fields, stateCarrierField).wrap(visitor);
    }
    visitor = new Advising(visitor, type, adviceView, advice, context, pool);
    reader.accept(visitor, ClassReader.EXPAND_FRAMES);
    warm = true;
    return writer.toByteArray();
  }

  /** One module's advice and the methods it goes into. */
  private record MethodAdvice(ElementMatcher<? super MethodDescription> methods, Advice advice) {}

  /**
   * Wraps each advised method's visitor in its advice, in the order the modules list them; every
   * other method goes straight to the writer, which then copies it without parsing its code.
   */
  private static final class Advising extends ClassVisitor {
    private final TypeDescription type;
    private final TypeDescription adviceView;
    private final List<MethodAdvice> advice;
    private final Implementation.Context context;
    private final TypePool pool;
    private Map<String, MethodDescription> methods;

    Advising(
        ClassVisitor next,
        TypeDescription type,
        TypeDescription adviceView,
        List<MethodAdvice> advice,
        Implementation.Context context,
        TypePool pool) {
      super(OpenedClassReader.ASM_API, next);
      this.type = type;
      this.adviceView = adviceView;
      this.advice = advice;
      this.context = context;
      this.pool = pool;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
      if (visitor == null) {
        return null;
      }
      MethodDescription method = declaredMethod(name, descriptor);
      if (method == null) {
        return visitor;
      }
      for (MethodAdvice candidate : advice) {
        if (candidate.methods().matches(method)) {
          visitor =
              candidate
                  .advice()
                  .wrap(adviceView, method, visitor, context, pool, 0, ClassReader.EXPAND_FRAMES);
        }
      }
      return visitor;
    }

    private MethodDescription declaredMethod(String name, String descriptor) {
      if (methods == null) {
        methods = new HashMap<>();
        for (MethodDescription method : type.getDeclaredMethods()) {
          methods.put(method.getInternalName() + method.getDescriptor(), method);
        }
      }
      return methods.get(name + descriptor);
    }
  }

  /**
   * The class as its advice sees it: with the fields (and interface) the transformation adds, so
   * {@code @Advice.FieldValue} finds them. Everything else is the class file's own description.
   */
  private static final class WithAddedMembers
      extends TypeDescription.AbstractBase.OfSimpleType.WithDelegation {
    private final TypeDescription type;
    private final List<TypeInstrumentation.AddedField> fields;
    private final boolean stateCarrier;

    WithAddedMembers(
        TypeDescription type, List<TypeInstrumentation.AddedField> fields, boolean stateCarrier) {
      this.type = type;
      this.fields = fields;
      this.stateCarrier = stateCarrier;
    }

    @Override
    protected TypeDescription delegate() {
      return type;
    }

    @Override
    public String getName() {
      return type.getName();
    }

    @Override
    public FieldList<FieldDescription.InDefinedShape> getDeclaredFields() {
      List<FieldDescription.InDefinedShape> all = new ArrayList<>(type.getDeclaredFields());
      for (TypeInstrumentation.AddedField field : fields) {
        all.add(
            new FieldDescription.Latent(
                this,
                field.name(),
                field.modifiers(),
                TypeDescription.ForLoadedType.of(field.type()).asGenericType(),
                List.of()));
      }
      return new FieldList.Explicit<>(all);
    }

    @Override
    public TypeList.Generic getInterfaces() {
      if (!stateCarrier) {
        return type.getInterfaces();
      }
      List<TypeDefinition> all = new ArrayList<>(type.getInterfaces());
      all.add(TypeDescription.ForLoadedType.of(StateCarrier.class));
      return new TypeList.Generic.Explicit(all);
    }
  }
}
