package dev.pipewright.telemetry;

import java.time.Duration;

/**
 * What the job queue reports for its gauges. The job store implements it with cheap queries; the gauges read it at
 * scrape time, so implementations must answer quickly and be thread safe.
 */
public interface QueueGauges {
    /** Jobs waiting to be claimed, those scheduled for a retry included. */
    long depth();

    /** Jobs claimed by a worker and not yet finished. */
    long inFlight();

    /** How long the oldest waiting job has waited; zero when none waits. */
    Duration oldestWaiting();

    /** Jobs in the dead letter queue. */
    long deadLetters();
}
