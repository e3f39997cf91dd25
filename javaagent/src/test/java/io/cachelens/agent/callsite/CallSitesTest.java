package io.cachelens.agent.callsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.ServiceCode;
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
    assertThat(ServiceCode.lookUpFromHere())
        .hasValueSatisfying(
            frame -> {
              assertThat(frame.getClassName()).isEqualTo("com.acme.ServiceCode");
              assertThat(frame.getMethodName()).isEqualTo("lookUpFromHere");
              assertThat(frame.getFileName()).isEqualTo("ServiceCode.java");
            });
  }
}
