package io.cachelens.agent.callsite;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the first stack frame of the service's own code: outside the JDK, the Redis clients, their
 * pools and frameworks, and the agent. Walks the stack, so callers use it only within a capture
 * budget or for the rare commands worth a span.
 *
 * <p>The walk uses no lambda and no stream pipeline: the first capture often happens when the
 * service opens its first connection, and bootstrapping lambda forms there would add tens of
 * milliseconds to the service's start-up.
 */
public final class CallSites {
  private static final String[] INFRASTRUCTURE = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "redis.clients.",
    "io.lettuce.",
    "io.netty.",
    "reactor.",
    "org.reactivestreams.",
    "org.apache.commons.pool2.",
    "org.springframework.data.redis.",
    "org.springframework.cache.",
    "org.springframework.aop.",
    "org.springframework.cglib.",
    "kotlin.",
    "kotlinx.coroutines.",
    "io.cachelens.agent.",
    "io.cachelens.analysis.",
    "io.cachelens.instrumentation.",
    "io.cachelens.shaded.",
  };

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame>
      FIRST_APPLICATION_FRAME = new FirstApplicationFrame();

  private CallSites() {}

  /** The first application frame on the current thread's stack, or null when there is none. */
  public static StackWalker.StackFrame firstApplicationFrame() {
    return WALKER.walk(FIRST_APPLICATION_FRAME);
  }

  /**
   * The first application frame as {@code com.acme.Type.method(Type.java:42)}, or null when there
   * is none.
   */
  public static String firstApplicationSite() {
    StackWalker.StackFrame frame = firstApplicationFrame();
    return frame == null ? null : describe(frame);
  }

  /** A frame as {@code com.acme.Type.method(Type.java:42)}, the format of stack traces. */
  public static String describe(StackWalker.StackFrame frame) {
    String file = frame.getFileName();
    int line = frame.getLineNumber();
    StringBuilder site = new StringBuilder(96);
    site.append(frame.getClassName()).append('.').append(frame.getMethodName()).append('(');
    site.append(file != null ? file : "Unknown Source");
    if (line >= 0) {
      site.append(':').append(line);
    }
    return site.append(')').toString();
  }

  /** True for classes of the JDK, the clients, pools, Spring's Redis support and the agent. */
  public static boolean isInfrastructure(String className) {
    for (String prefix : INFRASTRUCTURE) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    // Generated proxies and lambdas of the service still belong to the service, but say nothing
    // useful.
    return className.contains("$$Lambda") || className.contains("$Proxy");
  }

  private static final class FirstApplicationFrame
      implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
    @Override
    public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> frames) {
      Iterator<StackWalker.StackFrame> iterator = frames.iterator();
      while (iterator.hasNext()) {
        StackWalker.StackFrame frame = iterator.next();
        if (!isInfrastructure(frame.getClassName())) {
          return frame;
        }
      }
      return null;
    }
  }
}
