package io.cachelens.agent.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;

/**
 * Reads the span that is current in the service's own OpenTelemetry API (the unshaded {@code
 * io.opentelemetry.api} the service, or the OpenTelemetry Java agent behind it, uses), so that
 * CacheLens spans join the service's traces.
 *
 * <p>The API is found in the class loader of the Redis client's classes and called through method
 * handles; a service without it costs one {@link ClassValue} lookup per command.
 */
public final class ApplicationTraceContext {
  /**
   * The service's API package, assembled at run time: the shade plugin rewrites string constants
   * that name relocated packages, and this one must keep naming the service's own, unrelocated API.
   */
  private static final String SERVICE_API = String.join(".", "io", "opentelemetry", "api", "trace");

  private static final Bridge ABSENT = new Bridge(null, null, null, null, null);

  private final ClassValue<Bridge> bridges =
      new ClassValue<>() {
        @Override
        protected Bridge computeValue(Class<?> clientClass) {
          Bridge bridge = resolve(clientClass.getClassLoader());
          if (bridge != ABSENT) {
            lastResolved = bridge;
          }
          return bridge;
        }
      };

  private volatile Bridge lastResolved = ABSENT;
  // Weak, so a redeployed application's class loader can still be collected.
  private volatile WeakReference<ClassLoader> lastTriedLoader = new WeakReference<>(null);

  /** Distinct context class loaders probed in vain; past the limit, probing stops. */
  private static final int MAX_FAILED_PROBES = 8;

  private volatile int failedProbes;

  /**
   * The sampled span current on this thread in the API visible to {@code clientClass}'s loader, as
   * a CacheLens span context to use as parent; null when there is none.
   */
  public SpanContext current(Class<?> clientClass) {
    return bridges.get(clientClass).current();
  }

  /**
   * Same as {@link #current(Class)} for capture at dispatch, where no client class is at hand:
   * through the API last resolved for a client class, else the one the thread's context class
   * loader sees.
   */
  public SpanContext current() {
    Bridge bridge = lastResolved;
    if (bridge == ABSENT) {
      bridge = fromContextClassLoader();
    }
    return bridge.current();
  }

  /** Resolves the API for a client class ahead of need, so later captures find it. */
  public void prepare(Class<?> clientClass) {
    bridges.get(clientClass);
  }

  private Bridge fromContextClassLoader() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null || loader == lastTriedLoader.get() || failedProbes >= MAX_FAILED_PROBES) {
      return ABSENT;
    }
    lastTriedLoader = new WeakReference<>(loader);
    Bridge bridge = resolve(loader);
    if (bridge != ABSENT) {
      lastResolved = bridge;
    } else {
      // A service without the API, dispatching from threads with different context loaders,
      // would otherwise pay a failed class lookup per command.
      failedProbes++;
    }
    return bridge;
  }

  private static Bridge resolve(ClassLoader loader) {
    try {
      Class<?> span = Class.forName(SERVICE_API + ".Span", false, loader);
      Class<?> spanContext = Class.forName(SERVICE_API + ".SpanContext", false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle current =
          lookup
              .findStatic(span, "current", MethodType.methodType(span))
              .asType(MethodType.methodType(Object.class));
      MethodHandle getSpanContext =
          lookup
              .findVirtual(span, "getSpanContext", MethodType.methodType(spanContext))
              .asType(MethodType.methodType(Object.class, Object.class));
      MethodHandle isSampled =
          lookup
              .findVirtual(spanContext, "isSampled", MethodType.methodType(boolean.class))
              .asType(MethodType.methodType(boolean.class, Object.class));
      MethodHandle traceId =
          lookup
              .findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class))
              .asType(MethodType.methodType(String.class, Object.class));
      MethodHandle spanId =
          lookup
              .findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class))
              .asType(MethodType.methodType(String.class, Object.class));
      return new Bridge(current, getSpanContext, isSampled, traceId, spanId);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return ABSENT;
    }
  }

  private static final class Bridge {
    private final MethodHandle current;
    private final MethodHandle getSpanContext;
    private final MethodHandle isSampled;
    private final MethodHandle traceId;
    private final MethodHandle spanId;

    Bridge(
        MethodHandle current,
        MethodHandle getSpanContext,
        MethodHandle isSampled,
        MethodHandle traceId,
        MethodHandle spanId) {
      this.current = current;
      this.getSpanContext = getSpanContext;
      this.isSampled = isSampled;
      this.traceId = traceId;
      this.spanId = spanId;
    }

    SpanContext current() {
      if (current == null) {
        return null;
      }
      try {
        Object span = (Object) current.invokeExact();
        Object context = (Object) getSpanContext.invokeExact(span);
        if (!(boolean) isSampled.invokeExact(context)) {
          return null;
        }
        SpanContext parent =
            SpanContext.create(
                (String) traceId.invokeExact(context),
                (String) spanId.invokeExact(context),
                TraceFlags.getSampled(),
                TraceState.getDefault());
        return parent.isValid() ? parent : null;
      } catch (Throwable t) {
        return null;
      }
    }
  }
}
