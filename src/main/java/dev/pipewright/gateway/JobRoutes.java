package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.jobs.DlqEntry;
import dev.pipewright.jobs.Enqueued;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobQuery;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.Page;
import dev.pipewright.jobs.view.JobView;
import dev.pipewright.jobs.webhook.RefusedTargetException;
import dev.pipewright.jobs.webhook.WebhookDelivery;
import dev.pipewright.router.VariantChooser;
import dev.pipewright.telemetry.TraceParents;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The async job API: {@code POST /v1/jobs}, {@code GET /v1/jobs}, {@code GET|DELETE /v1/jobs/{id}}, {@code GET
 * /v1/dlq} and {@code POST /v1/dlq/{id}/replay}. Every route works on the caller's tenant only ({@link Tenants}):
 * another tenant's job is answered exactly like a job that does not exist.
 *
 * <p>A submission is answered 202 only once the job (and its webhook delivery, when it has a URL) is committed. A
 * resubmission with an idempotency key already used answers as the first one did, 202 with the same job, and adds
 * {@code Idempotent-Replayed: true}, the convention of Stripe-style APIs; its other fields are ignored.
 */
final class JobRoutes {
    static final int DEFAULT_PAGE = 50;
    private static final Logger audit = LoggerFactory.getLogger("pipewright.audit");

    private final Supplier<PipewrightConfig> config;
    private final JobsApi jobs;
    private final JsonBodies bodies;
    private final VariantChooser variants;

    /**
     * Routes whose submissions get their deployment variant from {@code variants} at submit time, by the same sticky
     * key as a synchronous run of the caller, so the worker runs the version the caller would have been served.
     */
    JobRoutes(Supplier<PipewrightConfig> config, JobsApi jobs, JsonBodies bodies, VariantChooser variants) {
        this.config = config;
        this.jobs = jobs;
        this.bodies = bodies;
        this.variants = variants;
    }

    void submit(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String tenant = Tenants.of(request).name();
        Map<String, String> tags = PipelineRoutes.tags(request);
        JobSubmissionBody body = JobSubmissionBody.of(
                bodies.parse(request), request.headers().first(HeaderNames.create("Idempotency-Key")));
        PipelineConfig pipeline = config.get().pipelines().get(body.pipeline());
        if (pipeline == null) {
            Problem.notFound("no pipeline named '" + body.pipeline() + "'; known: "
                            + String.join(", ", config.get().pipelines().keySet()))
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        body.webhookUrl().ifPresent(url -> checkWebhook(tenant, url));
        JobSubmission submission = new JobSubmission(
                        tenant,
                        body.pipeline(),
                        body.input(),
                        body.idempotencyKey(),
                        body.webhookUrl(),
                        JobSubmission.DEFAULT_MAX_ATTEMPTS,
                        body.priority(),
                        TraceParents.current(),
                        Optional.empty())
                .withTags(tags)
                .withVariant(variants.choose(
                                pipeline, tenant, header -> request.headers().first(HeaderNames.create(header)))
                        .name());
        Enqueued enqueued = jobs.store().enqueue(submission);
        Job job = enqueued.job();
        job.webhookUrl().ifPresent(url -> jobs.deliveries().expect(tenant, job.id(), url));
        if (!enqueued.created()) {
            response.header(HeaderValues.create("Idempotent-Replayed", "true"));
        }
        accepted(request, response, job);
    }

    void show(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String tenant = Tenants.of(request).name();
        String id = request.path().pathParameters().get("id");
        Optional<Job> job = jobs.store().find(tenant, id);
        if (job.isEmpty()) {
            noSuchJob(response, requestId, id);
            return;
        }
        PipelineConfig pipeline = config.get().pipelines().get(job.get().pipeline());
        ObjectNode view = JobView.detail(
                job.get(),
                pipeline == null
                        ? List.of()
                        : pipeline.steps().stream().map(StepConfig::name).toList(),
                jobs.store().steps(tenant, id),
                jobs.store().attempts(tenant, id));
        ArrayNode webhooks = view.putArray("webhooks");
        for (WebhookDelivery delivery : jobs.deliveries().ofJob(tenant, id)) {
            ObjectNode entry = webhooks.addObject()
                    .put("delivery_id", delivery.id())
                    .put("state", delivery.state().jsonName())
                    .put("attempts", delivery.attempts());
            delivery.event().ifPresent(event -> entry.put("event", event));
            delivery.lastStatus().ifPresent(status -> entry.put("last_status", status));
            delivery.lastError().ifPresent(error -> entry.put("last_error", error));
        }
        send(response, 200, view);
    }

    void list(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        var query = request.query();
        Optional<JobStatus> status = query.first("status").asOptional().map(JobRoutes::status);
        Optional<String> pipeline = query.first("pipeline").asOptional();
        Optional<String> cursor = query.first("cursor").asOptional();
        int limit = limit(query.first("limit").asOptional());
        Page<Job> page;
        try {
            page = jobs.store().list(new JobQuery(Tenants.of(request).name(), status, pipeline, cursor, limit));
        } catch (IllegalArgumentException badCursor) {
            throw new BadRequestException("cursor: " + badCursor.getMessage());
        }
        ObjectNode body = bodies.mapper().createObjectNode();
        ArrayNode data = body.putArray("data");
        page.items().forEach(job -> data.add(JobView.summary(job)));
        page.nextCursor().ifPresent(next -> body.put("next_cursor", next));
        send(response, 200, body);
    }

    void cancel(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String id = request.path().pathParameters().get("id");
        Optional<Job> job = jobs.store().cancel(Tenants.of(request).name(), id);
        if (job.isEmpty()) {
            noSuchJob(response, requestId, id);
        } else if (job.get().status() != JobStatus.CANCELLED) {
            new Problem(
                            409,
                            "/problems/job-finished",
                            "Job already finished",
                            "job " + id + " has already ended as "
                                    + job.get().status().jsonName() + " and cannot be cancelled")
                    .send(response, bodies.mapper(), requestId);
        } else {
            send(response, 200, JobView.summary(job.get()));
        }
    }

    void deadLetters(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        var query = request.query();
        Page<DlqEntry> page;
        try {
            page = jobs.store()
                    .deadLetters(
                            Tenants.of(request).name(),
                            query.first("cursor").asOptional(),
                            limit(query.first("limit").asOptional()));
        } catch (IllegalArgumentException badCursor) {
            throw new BadRequestException("cursor: " + badCursor.getMessage());
        }
        ObjectNode body = bodies.mapper().createObjectNode();
        ArrayNode data = body.putArray("data");
        for (DlqEntry entry : page.items()) {
            data.add(JobView.detail(entry.job(), List.of(), List.of(), entry.attempts()));
        }
        page.nextCursor().ifPresent(next -> body.put("next_cursor", next));
        send(response, 200, body);
    }

    void replay(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String tenant = Tenants.of(request).name();
        String id = request.path().pathParameters().get("id");
        Optional<Job> job;
        try {
            job = jobs.store().replay(tenant, id);
        } catch (IllegalStateException notDead) {
            new Problem(409, "/problems/not-dead-lettered", "Job not in the dead letter queue", notDead.getMessage())
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        if (job.isEmpty()) {
            noSuchJob(response, requestId, id);
            return;
        }
        audit.info("replay of job {} by tenant {} (request {})", id, tenant, requestId);
        job.get().webhookUrl().ifPresent(url -> jobs.deliveries().expectAfterReplay(tenant, id, url));
        accepted(request, response, job.get());
    }

    private void checkWebhook(String tenant, String url) {
        try {
            jobs.webhookTargets().check(url);
        } catch (RefusedTargetException refused) {
            throw new BadRequestException(refused.getMessage());
        }
        jobs.webhookSecrets().problem(tenant).ifPresent(problem -> {
            throw new BadRequestException("webhook_url: " + problem);
        });
    }

    private void accepted(ServerRequest request, ServerResponse response, Job job) throws Exception {
        String statusUrl = "/v1/jobs/" + job.id();
        response.header(HeaderNames.LOCATION, statusUrl);
        ObjectNode body = bodies.mapper()
                .createObjectNode()
                .put("job_id", job.id())
                .put("status", job.status().jsonName())
                .put("status_url", statusUrl);
        send(response, 202, body);
    }

    private void noSuchJob(ServerResponse response, String requestId, String id) {
        Problem.notFound("no job with id '" + id + "'").send(response, bodies.mapper(), requestId);
    }

    private void send(ServerResponse response, int status, ObjectNode body) throws Exception {
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bodies.mapper().writeValueAsBytes(body));
    }

    private static JobStatus status(String value) {
        try {
            return JobStatus.fromJsonName(value);
        } catch (IllegalArgumentException unknown) {
            throw new BadRequestException("status: " + unknown.getMessage());
        }
    }

    private static int limit(Optional<String> value) {
        if (value.isEmpty()) {
            return DEFAULT_PAGE;
        }
        try {
            int limit = Integer.parseInt(value.get());
            if (limit >= 1 && limit <= JobQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below with the value.
        }
        throw new BadRequestException(
                "limit: must be a whole number from 1 to " + JobQuery.MAX_LIMIT + ", but was '" + value.get() + "'");
    }
}
