package io.cachelens.instrumentation.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.ModifierContributor;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What a module does to one client class (or a few that get the same treatment): the class names,
 * the class loaders whose release it supports, the fields it adds for its state and the advice it
 * inlines into methods. Immutable; built with {@link #forTypes(String...)}.
 */
public final class TypeInstrumentation {
  /** A field the module adds to the class, for its advice's state. */
  public record AddedField(String name, Class<?> type, int modifiers) {
    public AddedField {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /** One advice class and the methods it is inlined into. */
  public record AdviceBinding(
      ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
    public AdviceBinding {
      Objects.requireNonNull(methods, "methods");
      Objects.requireNonNull(adviceClassName, "adviceClassName");
    }
  }

  private final Set<String> typeNames;
  private final ElementMatcher<ClassLoader> supportedLoaders;
  private final List<AddedField> fields;
  private final String stateCarrierField;
  private final List<AdviceBinding> advice;

  private TypeInstrumentation(Builder builder) {
    this.typeNames = Set.of(builder.typeNames);
    this.supportedLoaders = builder.supportedLoaders;
    this.fields = List.copyOf(builder.fields);
    this.stateCarrierField = builder.stateCarrierField;
    this.advice = List.copyOf(builder.advice);
  }

  /** Starts the instrumentation of the classes with these binary names. */
  public static Builder forTypes(String... binaryNames) {
    return new Builder(binaryNames);
  }

  /** Binary names, e.g. {@code redis.clients.jedis.Connection}. */
  public Set<String> typeNames() {
    return typeNames;
  }

  /**
   * Whether the class, loaded by {@code loader}, is from a release the module supports; a class of
   * the right name from another release loads unchanged.
   */
  public boolean supports(ClassLoader loader) {
    return supportedLoaders.matches(loader);
  }

  /** Fields to add, in order. */
  public List<AddedField> fields() {
    return fields;
  }

  /**
   * The added {@code Object} field that backs {@link
   * io.cachelens.instrumentation.api.StateCarrier}, which the class then implements; null if it
   * does not.
   */
  public String stateCarrierField() {
    return stateCarrierField;
  }

  /** Advice to inline, in order. */
  public List<AdviceBinding> advice() {
    return advice;
  }

  /** Collects a {@link TypeInstrumentation}. */
  public static final class Builder {
    private final String[] typeNames;
    private ElementMatcher<ClassLoader> supportedLoaders;
    private final List<AddedField> fields = new ArrayList<>();
    private String stateCarrierField;
    private final List<AdviceBinding> advice = new ArrayList<>();

    private Builder(String[] typeNames) {
      if (typeNames.length == 0) {
        throw new IllegalArgumentException("no type named");
      }
      this.typeNames = typeNames.clone();
    }

    /** The class loaders that hold a supported release (required: it is the version check). */
    public Builder supportedIn(ElementMatcher<ClassLoader> loaders) {
      this.supportedLoaders = Objects.requireNonNull(loaders, "loaders");
      return this;
    }

    /** Adds a field (no initial value) to the class. */
    public Builder field(String name, Class<?> type, ModifierContributor.ForField... modifiers) {
      fields.add(new AddedField(name, type, ModifierContributor.Resolver.of(modifiers).resolve()));
      return this;
    }

    /**
     * Makes the class implement {@link io.cachelens.instrumentation.api.StateCarrier} over an
     * {@code Object} field added with {@link #field}.
     */
    public Builder stateCarrier(String field) {
      this.stateCarrierField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** Inlines the advice class (read as a class file, never loaded) into the matched methods. */
    public Builder advice(
        ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
      advice.add(new AdviceBinding(methods, adviceClassName));
      return this;
    }

    /** The finished instrumentation. */
    public TypeInstrumentation build() {
      if (supportedLoaders == null) {
        throw new IllegalStateException(
            "no supported release given for " + String.join(", ", typeNames));
      }
      boolean carrierDeclared = stateCarrierField == null;
      for (AddedField field : fields) {
        carrierDeclared |= field.name().equals(stateCarrierField) && field.type() == Object.class;
      }
      if (!carrierDeclared) {
        throw new IllegalStateException(
            "the StateCarrier field " + stateCarrierField + " is not an added Object field");
      }
      return new TypeInstrumentation(this);
    }
  }
}
