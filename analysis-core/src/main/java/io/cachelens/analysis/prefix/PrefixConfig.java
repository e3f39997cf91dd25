package io.cachelens.analysis.prefix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings for {@link KeyPrefixInferrer}: delimiters, depth cap, cardinality bound and
 * user patterns.
 *
 * <p>Defaults and why:
 *
 * <ul>
 *   <li>{@code delimiters = ":"}: the Redis convention ({@code object-type:id:field}) used by
 *       Spring, Redisson, Sidekiq, Bull and most hand-written keys.
 *   <li>{@code maxDepth = 4}: keeps {@code app:entity:id:field} and {@code tenant:*:orders:*}
 *       intact while bounding the work per key and the length of a prefix; deeper segments are
 *       rarely names an SRE groups by.
 *   <li>{@code maxPrefixes = 256}: enough for the keyspaces of a service, small enough for one
 *       metric attribute of a time series backend. Counts {@code <other>} and {@code <empty>}.
 *   <li>{@code patterns = []}: inference alone until the user knows better.
 * </ul>
 *
 * <p>User pattern syntax: the pattern is split with the same delimiters as keys; a segment {@code
 * *} matches exactly one key segment, a segment ending in {@code *} (such as {@code
 * celery-task-meta-*}) matches a key segment starting with the text before it, a segment {@code
 * {*}} matches a Redis Cluster hash tag (which may contain delimiters), and a final segment {@code
 * **} matches one or more remaining segments. Every other segment matches itself, byte for byte,
 * and delimiters must match too. The pattern string itself is the reported prefix.
 */
public final class PrefixConfig {

  /** Default delimiter set: the colon. */
  public static final String DEFAULT_DELIMITERS = ":";

  /** Default number of segments kept before the rest of a key collapses into {@code *}. */
  public static final int DEFAULT_MAX_DEPTH = 4;

  /** Default bound on distinct prefixes, {@code <other>} and {@code <empty>} included. */
  public static final int DEFAULT_MAX_PREFIXES = 256;

  /** Largest accepted {@code maxDepth}. */
  public static final int MAX_DEPTH_LIMIT = 16;

  /** Smallest accepted {@code maxPrefixes}: {@code <other>}, {@code <empty>} and one more. */
  public static final int MIN_PREFIXES = 3;

  /** Largest accepted {@code maxPrefixes}. */
  public static final int MAX_PREFIXES_LIMIT = 65_536;

  /** Largest accepted number of user patterns; every key is tried against each of them. */
  public static final int MAX_PATTERNS = 256;

  private static final PrefixConfig DEFAULTS = new Builder().build();

  private final String delimiters;
  private final int maxDepth;
  private final int maxPrefixes;
  private final List<String> patterns;

  private PrefixConfig(Builder builder) {
    this.delimiters = builder.delimiters;
    this.maxDepth = builder.maxDepth;
    this.maxPrefixes = builder.maxPrefixes;
    this.patterns = Collections.unmodifiableList(new ArrayList<>(builder.patterns));
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default settings. */
  public static PrefixConfig defaults() {
    return DEFAULTS;
  }

  /** The delimiter characters, each one splitting key segments. */
  public String delimiters() {
    return delimiters;
  }

  /** How many segments are kept before the rest of a key collapses into one {@code *}. */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * How many distinct prefixes an inferrer hands out before mapping new ones to {@code <other>}.
   */
  public int maxPrefixes() {
    return maxPrefixes;
  }

  /** The user patterns, in priority order; unmodifiable. */
  public List<String> patterns() {
    return patterns;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof PrefixConfig)) {
      return false;
    }
    PrefixConfig that = (PrefixConfig) other;
    return maxDepth == that.maxDepth
        && maxPrefixes == that.maxPrefixes
        && delimiters.equals(that.delimiters)
        && patterns.equals(that.patterns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(delimiters, maxDepth, maxPrefixes, patterns);
  }

  @Override
  public String toString() {
    return "PrefixConfig{delimiters='"
        + delimiters
        + "', maxDepth="
        + maxDepth
        + ", maxPrefixes="
        + maxPrefixes
        + ", patterns="
        + patterns
        + '}';
  }

  /** Collects and validates settings; every setter throws IllegalArgumentException on bad input. */
  public static final class Builder {
    private String delimiters = DEFAULT_DELIMITERS;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxPrefixes = DEFAULT_MAX_PREFIXES;
    private final List<String> patterns = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the delimiter characters: printable ASCII punctuation or space, never a letter, a digit,
     * {@code *}, <code>{</code> or <code>}</code> (those carry meaning in patterns and hash tags).
     */
    public Builder delimiters(String delimiters) {
      if (delimiters == null || delimiters.isEmpty()) {
        throw new IllegalArgumentException("delimiters must contain at least one character");
      }
      for (int i = 0; i < delimiters.length(); i++) {
        char c = delimiters.charAt(i);
        if (c < 0x20 || c > 0x7E || Character.isLetterOrDigit(c) || "*{}".indexOf(c) >= 0) {
          throw new IllegalArgumentException(
              "delimiter '"
                  + c
                  + "' (U+"
                  + String.format("%04X", (int) c)
                  + ") is not allowed: use printable ASCII punctuation other than * { }");
        }
      }
      this.delimiters = delimiters;
      return this;
    }

    /** Sets how many segments are kept, between 1 and {@link #MAX_DEPTH_LIMIT}. */
    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
        throw new IllegalArgumentException(
            "maxDepth must be between 1 and " + MAX_DEPTH_LIMIT + ", was " + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /**
     * Sets the bound on distinct prefixes, between {@link #MIN_PREFIXES} and {@link
     * #MAX_PREFIXES_LIMIT}.
     */
    public Builder maxPrefixes(int maxPrefixes) {
      if (maxPrefixes < MIN_PREFIXES || maxPrefixes > MAX_PREFIXES_LIMIT) {
        throw new IllegalArgumentException(
            "maxPrefixes must be between "
                + MIN_PREFIXES
                + " and "
                + MAX_PREFIXES_LIMIT
                + ", was "
                + maxPrefixes);
      }
      this.maxPrefixes = maxPrefixes;
      return this;
    }

    /** Replaces the user patterns; earlier patterns win when several match a key. */
    public Builder patterns(List<String> patterns) {
      if (patterns == null) {
        throw new IllegalArgumentException("patterns must not be null");
      }
      List<String> checked = new ArrayList<>(patterns.size());
      for (String pattern : patterns) {
        checked.add(checkPatternText(pattern));
      }
      if (checked.size() > MAX_PATTERNS) {
        throw tooManyPatterns(checked.size());
      }
      this.patterns.clear();
      this.patterns.addAll(checked);
      return this;
    }

    /** Appends one user pattern, after those already added. */
    public Builder addPattern(String pattern) {
      String checked = checkPatternText(pattern);
      if (patterns.size() == MAX_PATTERNS) {
        throw tooManyPatterns(MAX_PATTERNS + 1);
      }
      patterns.add(checked);
      return this;
    }

    /** Builds the settings, checking each pattern's syntax against the chosen delimiters. */
    public PrefixConfig build() {
      boolean[] delimiterTable = UserPattern.delimiterTable(delimiters);
      for (String pattern : patterns) {
        UserPattern.compile(pattern, delimiterTable);
      }
      return new PrefixConfig(this);
    }

    private static String checkPatternText(String pattern) {
      if (pattern == null || pattern.isBlank()) {
        throw new IllegalArgumentException("a pattern must not be null or blank");
      }
      return pattern;
    }

    private static IllegalArgumentException tooManyPatterns(int count) {
      return new IllegalArgumentException(
          "at most " + MAX_PATTERNS + " patterns are allowed, got " + count);
    }
  }
}
