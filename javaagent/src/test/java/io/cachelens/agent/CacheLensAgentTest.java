package io.cachelens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheLensAgentTest {

  @Test
  void derivesServiceNameFromMainJarOrClass() {
    assertThat(CacheLensAgent.derivedServiceName("/srv/app/catalog-service.jar --port 1"))
        .isEqualTo("catalog-service");
    assertThat(CacheLensAgent.derivedServiceName("com.acme.orders.OrdersMain arg"))
        .isEqualTo("OrdersMain");
    assertThat(CacheLensAgent.derivedServiceName(null)).isEqualTo("unknown_service");
  }
}
