package io.cachelens.instrumentation.spi;

import io.cachelens.instrumentation.api.StateCarrier;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FieldAccessor;

/**
 * Makes a client class a {@link StateCarrier} backed by a field the caller has defined.
 *
 * <p>The two accessors are declared explicitly rather than found by implementing the interface, so
 * Byte Buddy never needs the class's full method graph (for Lettuce's handler, all of Netty's
 * hierarchy): the agent builds with a compiler that looks at declared methods only.
 */
public final class StateCarriers {
  private StateCarriers() {}

  /** Adds {@link StateCarrier} and its accessors over {@code field} to {@code type}. */
  public static DynamicType.Builder<?> implement(DynamicType.Builder<?> type, String field) {
    return type.implement(StateCarrier.class)
        .defineMethod("cachelens$getState", Object.class, Visibility.PUBLIC)
        .intercept(FieldAccessor.ofField(field))
        .defineMethod("cachelens$setState", void.class, Visibility.PUBLIC)
        .withParameters(Object.class)
        .intercept(FieldAccessor.ofField(field));
  }
}
