package io.cachelens.instrumentation.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;

/**
 * A call site through which a {@link CommandReader} reads client objects with a method handle the
 * JIT can inline. It starts on a fallback that finds the handle for the object's class; the
 * fallback then {@linkplain #bind binds} the site to that handle, guarded by the type that declares
 * it, so that later calls on the same client classes go straight to the handle. Objects that fail
 * the guard, such as those of a second copy of the client in another class loader, keep taking the
 * fallback.
 *
 * <p>Keep {@link #invoker()} in a {@code static final} field and call it with {@code invokeExact}:
 * only then is it a constant to the JIT. Thread-safe.
 */
public final class GuardedCallSite {
  private static final MethodHandle IS_INSTANCE;

  static {
    try {
      IS_INSTANCE =
          MethodHandles.lookup()
              .findVirtual(
                  Class.class, "isInstance", MethodType.methodType(boolean.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final MutableCallSite site;
  private final MethodHandle fallback;

  /** A site that calls {@code fallback} until it is bound. */
  public GuardedCallSite(MethodHandle fallback) {
    this.fallback = fallback;
    this.site = new MutableCallSite(fallback);
  }

  /** The handle that calls whatever the site is bound to; its type is the fallback's. */
  public MethodHandle invoker() {
    return site.dynamicInvoker();
  }

  /** Whether the site still calls only its fallback. */
  public boolean unbound() {
    return site.getTarget() == fallback;
  }

  /**
   * Binds a site still on its fallback to {@code read} for instances of {@code declaring}; does
   * nothing once bound, or when either is null.
   *
   * @param read a handle of the fallback's type
   */
  public void bind(Class<?> declaring, MethodHandle read) {
    if (declaring == null || read == null || !unbound()) {
      return;
    }
    synchronized (this) {
      if (unbound()) {
        site.setTarget(MethodHandles.guardWithTest(IS_INSTANCE.bindTo(declaring), read, fallback));
      }
    }
  }
}
