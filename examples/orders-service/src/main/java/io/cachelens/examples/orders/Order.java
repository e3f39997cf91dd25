package io.cachelens.examples.orders;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An order as the recent-orders cache keeps it.
 *
 * @param id the order number
 * @param customerId who placed it
 * @param items how many items it holds
 * @param totalCents what it costs, in euro cents
 * @param placedAt when it was placed
 */
public record Order(long id, long customerId, int items, long totalCents, Instant placedAt) {

  /** The fields of the order's hash. */
  public Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("customer", Long.toString(customerId));
    fields.put("items", Integer.toString(items));
    fields.put("totalCents", Long.toString(totalCents));
    fields.put("currency", "EUR");
    fields.put("status", "placed");
    fields.put("placedAt", placedAt.toString());
    return fields;
  }
}
