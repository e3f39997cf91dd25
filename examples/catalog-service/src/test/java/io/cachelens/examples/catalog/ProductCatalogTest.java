package io.cachelens.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachelens.analysis.json.JsonReader;
import org.junit.jupiter.api.Test;

class ProductCatalogTest {

  @Test
  void productPagesAreStableJsonOfRealisticSize() {
    for (long id : new long[] {1, 2, ProductCatalog.BEST_SELLERS, ProductCatalog.SIZE}) {
      String page = ProductCatalog.load(id);
      assertThat(page).isEqualTo(ProductCatalog.load(id));
      assertThat(page).startsWith("{\"id\":" + id + ",").endsWith("]}");
      assertThat(page.length()).isBetween(400, 2_000);
      assertThat(JsonReader.parseObject(page)).containsEntry("id", id);
    }
    assertThat(ProductCatalog.load(1)).isNotEqualTo(ProductCatalog.load(2));
    assertThat(ProductCatalog.cacheKey(17)).isEqualTo("product:cache:17");
  }

  @Test
  void unknownProductsAreRefused() {
    assertThatThrownBy(() -> ProductCatalog.load(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProductCatalog.load(ProductCatalog.SIZE + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
