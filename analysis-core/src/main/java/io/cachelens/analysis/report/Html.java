package io.cachelens.analysis.report;

/**
 * A small HTML and SVG writer that escapes every text and attribute value, so that text from the
 * service (keys, messages, stack frames) can only ever appear as text. Tag and attribute names are
 * written as given and must be constants.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(32 * 1024);

  /** Opens {@code tag} with attributes given as name, value pairs; values are escaped. */
  Html open(String tag, String... attributes) {
    startTag(tag, attributes);
    out.append('>');
    return this;
  }

  /** Writes {@code tag} as a self-closing (SVG) element. */
  Html empty(String tag, String... attributes) {
    startTag(tag, attributes);
    out.append("/>");
    return this;
  }

  /** Closes {@code tag}. */
  Html close(String tag) {
    out.append("</").append(tag).append('>');
    return this;
  }

  /** Writes {@code text}, escaped. */
  Html text(String text) {
    out.append(escape(text));
    return this;
  }

  /** Writes {@code <tag attributes>text</tag>}, escaping the text and the attribute values. */
  Html element(String tag, String text, String... attributes) {
    return open(tag, attributes).text(text).close(tag);
  }

  /** Writes trusted markup: constants of the renderer only, never text from the model. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Starts a new line, to keep the page source readable. */
  Html newline() {
    out.append('\n');
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * Escapes {@code text} for use as HTML or SVG text or as a quoted attribute value. Control
   * characters other than tab and line breaks are not allowed in HTML and become U+FFFD.
   */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement == null) {
        escaped.append(c);
      } else {
        escaped.append(replacement);
      }
    }
    return escaped.toString();
  }

  private static String replacement(char c) {
    return switch (c) {
      case '&' -> "&amp;";
      case '<' -> "&lt;";
      case '>' -> "&gt;";
      case '"' -> "&quot;";
      case '\'' -> "&#39;";
      case '\t', '\n', '\r' -> null;
      default -> Character.isISOControl(c) ? "\uFFFD" : null;
    };
  }

  private void startTag(String tag, String... attributes) {
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must be name, value pairs: " + tag);
    }
    out.append('<').append(tag);
    for (int i = 0; i < attributes.length; i += 2) {
      out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1]));
      out.append('"');
    }
  }
}
