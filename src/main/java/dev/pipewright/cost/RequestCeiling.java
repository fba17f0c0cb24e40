package dev.pipewright.cost;

import static dev.pipewright.telemetry.LogField.field;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pipewright.model.CallLabels;
import dev.pipewright.telemetry.CostMeters;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flags a request whose calls together cost more than the ceiling: the calls of one request (a pipeline run's steps,
 * a job's, one proxied call) share its request id, and their running sum is kept for a while after the last call.
 * The request is flagged once, when the sum first goes over: {@code pipewright.cost.ceiling.exceeded} and a WARN line
 * {@code cost ceiling exceeded}. Thread safe.
 */
final class RequestCeiling {
    private static final Logger log = LoggerFactory.getLogger(RequestCeiling.class);
    private static final Duration KEEP = Duration.ofMinutes(30);

    private final BigDecimal ceilingUsd;
    private final CostMeters meters;
    private final Cache<String, Running> requests =
            Caffeine.newBuilder().expireAfterAccess(KEEP).maximumSize(100_000).build();

    RequestCeiling(BigDecimal ceilingUsd, CostMeters meters) {
        this.ceilingUsd = Objects.requireNonNull(ceilingUsd);
        this.meters = Objects.requireNonNull(meters);
    }

    /** Adds a call's cost to its request's sum; flags the request when the sum first goes over the ceiling. */
    void add(CallLabels labels, BigDecimal costUsd) {
        if (labels.requestId().isBlank() || costUsd.signum() == 0) {
            return;
        }
        Running running = requests.get(labels.requestId(), ignored -> new Running());
        BigDecimal total = running.add(costUsd);
        if (total.compareTo(ceilingUsd) > 0 && running.flagged.compareAndSet(false, true)) {
            meters.ceilingExceeded(labels);
            log.warn(
                    "cost ceiling exceeded {} {} {} {} {}",
                    field("request_id", labels.requestId()),
                    field("tenant", labels.tenant()),
                    field("pipeline", labels.pipeline()),
                    field("cost_usd", total.toPlainString()),
                    field("ceiling_usd", ceilingUsd.toPlainString()));
        }
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
