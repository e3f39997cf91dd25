package io.cachelens.analysis.query;

import io.cachelens.analysis.prefix.KeyPrefixInferrer;

/** How a key argument appears in {@link QueryText}: as its prefix pattern or as itself. */
@FunctionalInterface
public interface KeyRendering {

  /** The text for one key; {@code key} is null when the argument could not be read. */
  String render(byte[] key);

  /**
   * Renders a key as its inferred prefix ({@code product:cache:*}), so that no key data leaves the
   * process; uses (and registers into) the inferrer's bounded id table.
   */
  static KeyRendering prefixOnly(KeyPrefixInferrer inferrer) {
    if (inferrer == null) {
      throw new IllegalArgumentException("inferrer must not be null");
    }
    return key -> key == null ? "?" : inferrer.prefix(inferrer.prefixId(key));
  }

  /**
   * Renders a key as UTF-8 text, escaping backslashes as {@code \\} and non-printable or invalid
   * bytes as {@code \xNN}; keys longer than 256 bytes are cut and end in {@code …}.
   */
  static KeyRendering full() {
    return KeyText::escape;
  }
}
