package io.cachelens.agent.callsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.ServiceCode;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallSitesTest {

  @Test
  void skipsJdkClientsPoolsAndAgentButNotServiceCode() {
    assertThat(CallSites.isInfrastructure("redis.clients.jedis.Connection")).isTrue();
    assertThat(CallSites.isInfrastructure("io.lettuce.core.RedisClient")).isTrue();
    assertThat(CallSites.isInfrastructure("org.apache.commons.pool2.impl.GenericObjectPool"))
        .isTrue();
    assertThat(CallSites.isInfrastructure("io.cachelens.agent.sink.CacheLensSink")).isTrue();
    assertThat(CallSites.isInfrastructure("java.lang.Thread")).isTrue();
    assertThat(CallSites.isInfrastructure("com.acme.RateLimiter")).isFalse();
    assertThat(CallSites.isInfrastructure("io.cachelens.examples.CatalogService")).isFalse();
  }

  @Test
  void firstApplicationFrameIsTheServicesCaller() {
    StackWalker.StackFrame frame = ServiceCode.lookUpFromHere();
    assertThat(frame).isNotNull();
    assertThat(frame.getClassName()).isEqualTo("com.acme.ServiceCode");
    assertThat(frame.getMethodName()).isEqualTo("lookUpFromHere");
    assertThat(frame.getFileName()).isEqualTo("ServiceCode.java");
  }

  @Test
  void describesTheSiteInStackTraceFormat() {
    assertThat(ServiceCode.siteFromHere())
        .matches("com\\.acme\\.ServiceCode\\.siteFromHere\\(ServiceCode\\.java:\\d+\\)");
  }

  @Test
  void findsNoSiteWhenTheWholeStackIsInfrastructure() throws InterruptedException {
    // Only this (agent-package) runnable and the JDK's Thread are on the new thread's stack.
    AtomicReference<String> site = new AtomicReference<>("unset");
    Thread thread = new Thread(() -> site.set(CallSites.firstApplicationSite()));
    thread.start();
    thread.join();
    assertThat(site.get()).isNull();
  }
}
