package io.cachelens.agent.callsite;

import java.util.Optional;

/**
 * Finds the first stack frame of the service's own code: outside the JDK, the Redis clients, their
 * pools and frameworks, and the agent. Walks the stack, so callers use it only for the rare
 * commands worth a span.
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

  private CallSites() {}

  /** The first application frame on the current thread's stack, if any. */
  public static Optional<StackWalker.StackFrame> firstApplicationFrame() {
    return WALKER.walk(
        frames -> frames.filter(frame -> !isInfrastructure(frame.getClassName())).findFirst());
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
}
