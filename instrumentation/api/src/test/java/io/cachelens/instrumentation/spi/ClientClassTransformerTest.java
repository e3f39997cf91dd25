package io.cachelens.instrumentation.spi;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.instrumentation.api.StateCarrier;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import org.junit.jupiter.api.Test;

class ClientClassTransformerTest {
  private static final String GREETER = "io.cachelens.instrumentation.spi.Greeter";
  private static final String GREETER_INTERNAL = GREETER.replace('.', '/');

  private final List<String> events = new ArrayList<>();

  @Test
  void addsTheFieldsTheStateCarrierAndTheAdvice() throws Exception {
    byte[] transformed = transform(module(ElementMatchers.any(), GreeterAdvice.class.getName()));

    Class<?> greeter = new DefiningLoader(GREETER, transformed).loadClass(GREETER);
    Object instance = greeter.getConstructor(Object.class).newInstance("v");

    assertThat(events).containsExactly("transformed " + GREETER);
    assertThat(greeter.getMethod("greet", String.class).invoke(instance, "ann"))
        .isEqualTo("hello ann!");
    Field greetings = greeter.getDeclaredField("cachelens$greetings");
    greetings.setAccessible(true);
    assertThat(greetings.getInt(instance)).isEqualTo(1);
    assertThat(Modifier.isTransient(greetings.getModifiers())).isTrue();

    assertThat(instance).isInstanceOf(StateCarrier.class);
    StateCarrier carrier = (StateCarrier) instance;
    assertThat(carrier.cachelens$getState()).isNull();
    carrier.cachelens$setState("state");
    assertThat(carrier.cachelens$getState()).isEqualTo("state");

    // The generic signature keeps agreeing with the interfaces the class implements.
    Type[] generic = greeter.getGenericInterfaces();
    assertThat(generic).hasSize(2);
    assertThat(((ParameterizedType) generic[0]).getRawType().getTypeName())
        .isEqualTo("java.util.function.Supplier");
    assertThat(generic[1]).isEqualTo(StateCarrier.class);
  }

  @Test
  void leavesAClassFromAnUnsupportedReleaseUnchanged() throws Exception {
    byte[] transformed = transform(module(ElementMatchers.none(), GreeterAdvice.class.getName()));

    assertThat(transformed).isNull();
    assertThat(events).containsExactly("unsupported " + GREETER);
  }

  @Test
  void reportsAFailureAndLeavesTheClassUnchanged() throws Exception {
    byte[] transformed = transform(module(ElementMatchers.any(), "no.such.Advice"));

    assertThat(transformed).isNull();
    assertThat(events).singleElement().asString().startsWith("failed " + GREETER);
  }

  @Test
  void ignoresClassesNoModuleNames() throws Exception {
    ClientClassTransformer transformer =
        new ClientClassTransformer(
            List.of(module(ElementMatchers.any(), GreeterAdvice.class.getName())), listener());

    assertThat(
            transformer.transform(
                null, getClass().getClassLoader(), "com/acme/Other", null, null, new byte[] {1}))
        .isNull();
    assertThat(transformer.internalNames()).containsExactly(GREETER_INTERNAL);
    assertThat(events).isEmpty();
  }

  @Test
  void warmsUpOnItsOwnStandInWithoutReportingIt() {
    ClientClassTransformer transformer =
        new ClientClassTransformer(
            List.of(module(ElementMatchers.any(), GreeterAdvice.class.getName())), listener());

    assertThat(transformer.warmUp()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void refusesAModuleThatInstrumentsAClassItDoesNotList() {
    ClientInstrumentation unlisted =
        new TestModule(Set.of("com.acme.Other"), ElementMatchers.any(), "x.Advice");

    assertThatThrownBy(() -> new ClientClassTransformer(List.of(unlisted), listener()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(GREETER);
  }

  private byte[] transform(ClientInstrumentation module) throws Exception {
    ClientClassTransformer transformer = new ClientClassTransformer(List.of(module), listener());
    byte[] original;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(GREETER_INTERNAL + ".class")) {
      original = in.readAllBytes();
    }
    return transformer.transform(
        null, getClass().getClassLoader(), GREETER_INTERNAL, null, null, original);
  }

  private static ClientInstrumentation module(ElementMatcher<ClassLoader> loaders, String advice) {
    return new TestModule(Set.of(GREETER), loaders, advice);
  }

  private ClientClassTransformer.Listener listener() {
    return new ClientClassTransformer.Listener() {
      @Override
      public void transformed(String typeName, ClassLoader loader) {
        events.add("transformed " + typeName);
      }

      @Override
      public void unsupported(String typeName, ClassLoader loader) {
        events.add("unsupported " + typeName);
      }

      @Override
      public void failed(String typeName, ClassLoader loader, Throwable error) {
        events.add("failed " + typeName + ": " + error);
      }
    };
  }

  /** Instruments {@code Greeter}, listing {@code listed} as its instrumented types. */
  private record TestModule(Set<String> listed, ElementMatcher<ClassLoader> loaders, String advice)
      implements ClientInstrumentation {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public Set<String> instrumentedTypes() {
      return listed;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
      return List.of(
          TypeInstrumentation.forTypes(GREETER)
              .supportedIn(loaders)
              .field(
                  "cachelens$state", Object.class, Visibility.PRIVATE, FieldPersistence.TRANSIENT)
              .field(
                  "cachelens$greetings", int.class, Visibility.PRIVATE, FieldPersistence.TRANSIENT)
              .stateCarrier("cachelens$state")
              .advice(named("greet"), advice)
              .build());
    }

    @Override
    public void registerCommandReader() {}
  }

  /** Defines one class from the given bytes, before its parent can. */
  private static final class DefiningLoader extends ClassLoader {
    private final String name;
    private final byte[] classFile;

    DefiningLoader(String name, byte[] classFile) {
      super(ClientClassTransformerTest.class.getClassLoader());
      this.name = name;
      this.classFile = classFile;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(className)) {
        if (className.equals(name)) {
          Class<?> loaded = findLoadedClass(className);
          return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
        }
        return super.loadClass(className, resolve);
      }
    }
  }
}
