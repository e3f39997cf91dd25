package io.cachelens.agent.config;

/** Which commands outside a sampled trace become root spans. */
public enum RootSpans {
  /** Only commands at least {@code cachelens.spans.slow} long, or failed ones. */
  SLOW,
  /** Every command. */
  ALL,
  /** None: only commands inside a sampled trace make spans. */
  NONE
}
