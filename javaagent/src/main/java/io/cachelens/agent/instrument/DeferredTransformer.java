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
 * start-up. Only a thread that loads a Redis client class before it is ready waits for it; once it
 * is, only the few classes the modules transform reach it, and every other class passes after a
 * prefix check and a set lookup.
 */
public final class DeferredTransformer implements ClassFileTransformer {
  private static final String[] CLIENT_PACKAGES = {"redis/clients/jedis/", "io/lettuce/core/"};
  private static final long WAIT_SECONDS = 30;

  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ClassFileTransformer delegate;
  private volatile Set<String> types = Set.of();
  private volatile boolean gaveUp;

  /**
   * Hands over to the real transformer and the internal names of the classes it transforms; a null
   * transformer means instrumentation failed and classes load unchanged.
   */
  public void ready(ClassFileTransformer transformer, Set<String> internalNames) {
    types = internalNames;
    delegate = transformer;
    ready.countDown();
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
    if (className == null || !isClientClass(className)) {
      return null;
    }
    ClassFileTransformer transformer = awaitDelegate(className);
    if (!types.contains(className)) {
      return null;
    }
    return transformer == null
        ? null
        : transformer.transform(
            module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }

  static boolean isClientClass(String internalName) {
    for (String prefix : CLIENT_PACKAGES) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private ClassFileTransformer awaitDelegate(String className) {
    ClassFileTransformer transformer = delegate;
    if (transformer != null || gaveUp) {
      return transformer;
    }
    try {
      if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        gaveUp = true;
        AgentLog.info(
            "instrumentation was not ready after "
                + WAIT_SECONDS
                + " s; "
                + className.replace('/', '.')
                + " and later client classes load uninstrumented");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return delegate;
  }
}
