package io.cachelens.analysis.fleet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number and evidence formatting shared by the Markdown and HTML reports. */
final class FleetText {

  private FleetText() {}

  /** A count with thousands separators: {@code 12,345}. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** An evidence value as a reader wants it: counts separated, fractions to four digits. */
  static String evidence(Object value) {
    if (value instanceof Long number) {
      return count(number);
    }
    if (value instanceof Double number) {
      if (number.isNaN() || number.isInfinite()) {
        return "unknown";
      }
      return new BigDecimal(number).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }
}
