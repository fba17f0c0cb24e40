package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.BudgetAction;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.cost.BudgetExceededException;
import dev.pipewright.cost.BudgetStatus;
import dev.pipewright.jobs.Enqueued;
import dev.pipewright.jobs.JobSubmission;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline request meets its budgets before it runs. When a budget it counts toward is spent, its action decides:
 * {@code reject} answers 429 naming the budget and its reset ({@code Retry-After}); {@code queue} turns the request
 * into a job that runs after the reset and answers 202 with it (429 as reject when this gateway has no job store);
 * {@code degrade} lets it run, and the cost link moves its calls to the cheaper model. A budget spent while the run
 * was under way ends it with the same 429.
 */
final class BudgetAdmission {
    private final BudgetBook budgets;
    private final Optional<JobsApi> jobs;
    private final JsonBodies bodies;
    private final InstantSource clock;

    BudgetAdmission(BudgetBook budgets, Optional<JobsApi> jobs, JsonBodies bodies, InstantSource clock) {
        this.budgets = budgets;
        this.jobs = jobs;
        this.bodies = bodies;
        this.clock = clock;
    }

    /**
     * Whether the request may run now; when not, the response has been sent. A queued request keeps its allocation
     * {@code tags} and the deployment {@code variant} its caller was assigned in its job, so that it runs later on the
     * version the caller would have been served now.
     */
    boolean admit(
            String tenant,
            String pipeline,
            JsonNode input,
            Map<String, String> tags,
            String variant,
            ServerResponse response,
            String requestId)
            throws Exception {
        Optional<BudgetStatus> spent = budgets.spent(tenant, pipeline);
        if (spent.isEmpty() || spent.get().action() == BudgetAction.DEGRADE) {
            return true;
        }
        BudgetStatus budget = spent.get();
        if (budget.action() == BudgetAction.QUEUE && jobs.isPresent()) {
            Enqueued queued = jobs.get()
                    .store()
                    .enqueue(JobSubmission.of(tenant, pipeline, input)
                            .withRunAt(budget.resetsAt())
                            .withTags(tags)
                            .withVariant(variant));
            String statusUrl = "/v1/jobs/" + queued.job().id();
            ObjectNode body = bodies.mapper()
                    .createObjectNode()
                    .put("job_id", queued.job().id())
                    .put("status", queued.job().status().jsonName())
                    .put("status_url", statusUrl)
                    .put("run_at", budget.resetsAt().toString())
                    .put("reason", budget.describe() + " is spent; the request runs as a job after it resets");
            response.status(202)
                    .header(HeaderNames.LOCATION, statusUrl)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(bodies.mapper().writeValueAsBytes(body));
            return false;
        }
        reject(
                        budget,
                        budget.describe() + " is spent ($" + budget.usedUsd().toPlainString() + " used, $"
                                + budget.reservedUsd().toPlainString() + " reserved); it resets at "
                                + budget.resetsAt())
                .accept(response, requestId);
        return false;
    }

    /** The 429 of a budget refused during the run, when {@code failure} was one. */
    Optional<Rejection> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BudgetExceededException exceeded) {
                return Optional.of(reject(exceeded.budget(), exceeded.getMessage()));
            }
        }
        return Optional.empty();
    }

    @FunctionalInterface
    interface Rejection {
        void accept(ServerResponse response, String requestId);
    }

    private Rejection reject(BudgetStatus budget, String detail) {
        Duration wait = Duration.between(clock.instant(), budget.resetsAt());
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        return (response, requestId) -> {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            new Problem(429, "/problems/budget-exhausted", "Budget exhausted", detail)
                    .send(response, bodies.mapper(), requestId);
        };
    }
}
