package io.cachelens.analysis.summary;

/**
 * Service-wide totals of a summary.
 *
 * @param commands commands the service sent (internal ones excluded), errors included
 * @param errors those of {@code commands} that failed
 * @param internalCommands commands clients and pools sent on their own behalf (handshake,
 *     validation), counted apart from {@code commands}
 * @param connectionsOpened Redis connections opened
 * @param connectionsClosed Redis connections closed
 */
public record SummaryTotals(
    long commands,
    long errors,
    long internalCommands,
    long connectionsOpened,
    long connectionsClosed) {}
