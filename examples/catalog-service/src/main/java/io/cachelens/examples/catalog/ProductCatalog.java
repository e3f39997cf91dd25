package io.cachelens.examples.catalog;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stands in for the product database behind the cache: every product id maps to the same JSON
 * document every time, between roughly 0.5 and 1.5 KB, so cached values look like real product
 * pages rather than counters.
 */
final class ProductCatalog {

  /** Number of products in the catalog; ids run from 1 to this. */
  static final int SIZE = 20_000;

  /** The best sellers: ids 1 to this get most of the traffic and are warmed at start-up. */
  static final int BEST_SELLERS = 250;

  private static final String[] ADJECTIVES = {
    "Classic",
    "Compact",
    "Deluxe",
    "Ergonomic",
    "Foldable",
    "Heavy-duty",
    "Lightweight",
    "Modular",
    "Organic",
    "Portable",
    "Recycled",
    "Smart",
    "Vintage",
    "Waterproof",
    "Wireless"
  };
  private static final String[] NOUNS = {
    "Backpack",
    "Blender",
    "Desk Lamp",
    "Espresso Maker",
    "Headphones",
    "Kettle",
    "Keyboard",
    "Notebook",
    "Office Chair",
    "Running Shoes",
    "Skillet",
    "Tent",
    "Thermos",
    "Toaster",
    "Umbrella"
  };
  private static final String[] CATEGORIES = {
    "home", "kitchen", "office", "outdoor", "electronics", "sports", "travel"
  };
  private static final String[] WORDS = {
    "durable",
    "everyday",
    "design",
    "quality",
    "comfortable",
    "reliable",
    "easy",
    "clean",
    "premium",
    "materials",
    "warranty",
    "compact",
    "storage",
    "tested",
    "made",
    "for",
    "with",
    "and"
  };

  private ProductCatalog() {}

  /** The cache key of a product page. */
  static String cacheKey(long productId) {
    return CatalogService.PRODUCT_KEY_PREFIX + productId;
  }

  /** Loads a product as the JSON document the service caches. */
  static String load(long productId) {
    if (productId < 1 || productId > SIZE) {
      throw new IllegalArgumentException("no product " + productId);
    }
    SplittableRandom random = new SplittableRandom(productId * 0x9E3779B97F4A7C15L);
    String name =
        ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + NOUNS[random.nextInt(NOUNS.length)];
    StringBuilder description = new StringBuilder();
    int words = 60 + random.nextInt(150);
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        description.append(' ');
      }
      description.append(WORDS[random.nextInt(WORDS.length)]);
    }
    StringBuilder json = new StringBuilder(256 + description.length());
    json.append("{\"id\":")
        .append(productId)
        .append(",\"sku\":\"SKU-")
        .append(String.format(Locale.ROOT, "%06d", productId))
        .append("\",\"name\":\"")
        .append(name)
        .append("\",\"category\":\"")
        .append(CATEGORIES[random.nextInt(CATEGORIES.length)])
        .append("\",\"priceCents\":")
        .append(499 + random.nextInt(50_000))
        .append(",\"currency\":\"EUR\",\"stock\":")
        .append(random.nextInt(500))
        .append(",\"rating\":")
        .append(String.format(Locale.ROOT, "%.1f", 1 + 4 * random.nextDouble()))
        .append(",\"description\":\"")
        .append(description)
        .append("\",\"related\":[");
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(1 + random.nextInt(SIZE));
    }
    return json.append("]}").toString();
  }
}
