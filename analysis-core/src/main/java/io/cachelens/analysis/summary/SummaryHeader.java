package io.cachelens.analysis.summary;

import java.time.Instant;
import java.util.Objects;

/**
 * What a summary says about the service and its window, beside the command statistics.
 *
 * @param service the service name
 * @param host the host name
 * @param pid the process id
 * @param windowStart when the statistics began (agent start, for cumulative statistics)
 * @param windowEnd when the summary was taken
 * @param connectionsOpened Redis connections opened during the window
 * @param connectionsClosed Redis connections closed during the window
 */
public record SummaryHeader(
    String service,
    String host,
    long pid,
    Instant windowStart,
    Instant windowEnd,
    long connectionsOpened,
    long connectionsClosed) {

  /** Rejects missing names and times. */
  public SummaryHeader {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
  }
}
