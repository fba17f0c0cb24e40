package dev.pipewright.cost;

import static dev.pipewright.telemetry.LogField.field;

import dev.pipewright.model.CallLabels;
import dev.pipewright.telemetry.CostMeters;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags a request whose calls together cost more than the ceiling: the calls of one request (a pipeline run's steps,
 * a job's, one proxied call) share its request id, and their running sum is kept while the request is among the
 * last {@value #GENERATION} to {@code 2 ×} {@value #GENERATION} requests that had a priced call. The request is
 * flagged once, when the sum first goes over: {@code pipewright.cost.ceiling.exceeded} and a WARN line
 * {@code cost ceiling exceeded}. Thread safe.
 *
 * <p>The sums live in two generations of maps: new requests go into the current one, a request found in the previous
 * one moves over, and when the current one is full it becomes the previous one and the oldest is dropped. That is a
 * map lookup per call, where a general cache with per-entry expiry cost the gateway about 2% of its CPU per proxied
 * request in bookkeeping and hand-offs to its maintenance thread.
 */
final class RequestCeiling {
    private static final Logger log = LoggerFactory.getLogger(RequestCeiling.class);
    static final int GENERATION = 50_000;

    private final BigDecimal ceilingUsd;
    private final CostMeters meters;
    private volatile ConcurrentHashMap<String, Running> current = generation();
    private volatile ConcurrentHashMap<String, Running> previous = generation();

    RequestCeiling(BigDecimal ceilingUsd, CostMeters meters) {
        this.ceilingUsd = Objects.requireNonNull(ceilingUsd);
        this.meters = Objects.requireNonNull(meters);
    }

    /** Adds a call's cost to its request's sum; flags the request when the sum first goes over the ceiling. */
    void add(CallLabels labels, BigDecimal costUsd) {
        if (labels.requestId().isBlank() || costUsd.signum() == 0) {
            return;
        }
        Running running = running(labels.requestId());
        BigDecimal total = running.add(costUsd);
        if (total.compareTo(ceilingUsd) > 0 && running.flagged.compareAndSet(false, true)) {
            meters.ceilingExceeded(labels);
            log.warn(
                    "cost ceiling exceeded",
                    field("request_id", labels.requestId()),
                    field("tenant", labels.tenant()),
                    field("pipeline", labels.pipeline()),
                    field("cost_usd", total.toPlainString()),
                    field("ceiling_usd", ceilingUsd.toPlainString()));
        }
    }

    /**
     * The request's running sum. A call racing a generation change may start a second sum for its request, which then
     * counts from zero: the ceiling is an alarm, and a request that long-lived is flagged late rather than wrongly.
     */
    private Running running(String requestId) {
        ConcurrentHashMap<String, Running> requests = current;
        Running running = requests.get(requestId);
        if (running != null) {
            return running;
        }
        if (requests.size() >= GENERATION) {
            requests = nextGeneration(requests);
        }
        // A lookup first: removing a key that is not there still locks its bin, and most requests are new.
        Running older = previous.containsKey(requestId) ? previous.remove(requestId) : null;
        return requests.computeIfAbsent(requestId, ignored -> older != null ? older : new Running());
    }

    private synchronized ConcurrentHashMap<String, Running> nextGeneration(ConcurrentHashMap<String, Running> full) {
        if (current == full) {
            previous = full;
            current = generation();
        }
        return current;
    }

    /** A map sized for a whole generation, so that filling it never stops to rehash. */
    private static ConcurrentHashMap<String, Running> generation() {
        return new ConcurrentHashMap<>(GENERATION * 4 / 3 + 1);
    }

    /** How many requests' sums are kept, for tests. */
    int tracked() {
        return current.size() + previous.size();
    }

    private static final class Running {
        private final AtomicBoolean flagged = new AtomicBoolean();
        private BigDecimal total = BigDecimal.ZERO;

        synchronized BigDecimal add(BigDecimal cost) {
            total = total.add(cost);
            return total;
        }
    }
}
