package io.cachelens.agent.instrument;

import io.cachelens.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Registered in premain in place of the Byte Buddy transformer, which is built on a background
 * thread: building it takes hundreds of milliseconds that the service should not wait for at
 * start-up. It knows from the start which classes the modules transform; only a thread that loads
 * one of those before the transformer is ready waits for it, and every other class, the rest of the
 * client included, passes after a set lookup.
 */
public final class DeferredTransformer implements ClassFileTransformer {
  private static final long WAIT_SECONDS = 30;

  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ClassFileTransformer delegate;
  private final Set<String> types;
  private volatile boolean gaveUp;

  /**
   * @param internalNames the classes the modules transform, e.g. {@code
   *     redis/clients/jedis/Connection}
   */
  public DeferredTransformer(Set<String> internalNames) {
    this.types = internalNames;
  }

  /**
   * Hands over to the real transformer; null means instrumentation failed and classes load
   * unchanged.
   */
  public synchronized void ready(ClassFileTransformer transformer) {
    // Only the first call counts: a later failure must not leave a client half instrumented.
    if (ready.getCount() > 0) {
      delegate = transformer;
      ready.countDown();
    }
  }

  // The JVM calls this variant (since Java 9); the one without a module is never used.
  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    if (className == null || !types.contains(className)) {
      return null;
    }
    ClassFileTransformer transformer = awaitDelegate(className);
    return transformer == null
        ? null
        : transformer.transform(
            module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }

  private ClassFileTransformer awaitDelegate(String className) {
    if (gaveUp) {
      return null;
    }
    ClassFileTransformer transformer = delegate;
    if (transformer != null) {
      return transformer;
    }
    try {
      if (ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        return delegate;
      }
      giveUp(className, "instrumentation was not ready after " + WAIT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveUp(className, "the thread loading it was interrupted while waiting for instrumentation");
    }
    return null;
  }

  /** Mixing instrumented and uninstrumented classes of one client is worse than neither. */
  private synchronized void giveUp(String className, String reason) {
    if (!gaveUp) {
      gaveUp = true;
      AgentLog.info(
          reason
              + "; "
              + className.replace('/', '.')
              + " and later client classes load uninstrumented");
    }
  }
}
