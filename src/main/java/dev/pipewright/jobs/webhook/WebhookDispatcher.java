package dev.pipewright.jobs.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.view.JobView;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import dev.pipewright.telemetry.TraceParents;
import dev.pipewright.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhooks of ended jobs. Each pass ({@link #deliverDue()}) first registers the delivery of any job that
 * names a webhook but lost its registration ({@link WebhookDeliveries#adoptOrphans}), then takes the due deliveries from {@link
 * WebhookDeliveries}: one still waiting for a running job is looked at again a poll later; one whose job ended gets
 * its payload fixed ({@code job.succeeded}, {@code job.dead} or {@code job.cancelled}) and is sent, signed, by the
 * {@link WebhookSender}. A failed call is retried later with exponential back-off, scheduled in the database (no
 * thread sleeps for it), until the attempts run out and the delivery is failed. A crash between a call and its
 * record sends the same delivery id again: receivers drop duplicates by {@code Pipewright-Delivery}.
 *
 * <p>Each call is a {@code webhook EVENT} client span in the trace the job was submitted under, and the call carries
 * that span as its W3C {@code traceparent}.
 *
 * <p>Any number of dispatchers may share a database: a delivery is sent only under a claim. Thread safe.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 32;
    private static final AttributeKey<String> DELIVERY_ID = AttributeKey.stringKey("pipewright.webhook.delivery_id");
    private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pipewright.job.id");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("pipewright.webhook.attempt");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final WebhookDeliveries deliveries;
    private final JobStore jobs;
    private final WebhookSender sender;
    private final WebhookSecrets secrets;
    private final WebhookSettings settings;
    private final Clock clock;
    private final RandomGenerator random;
    private final Tracer tracer;
    private final ObjectMapper json = Json.mapper();
    private volatile Thread loop;

    public WebhookDispatcher(
            WebhookDeliveries deliveries,
            JobStore jobs,
            WebhookSender sender,
            WebhookSecrets secrets,
            WebhookSettings settings,
            Clock clock,
            RandomGenerator random) {
        this(
                deliveries,
                jobs,
                sender,
                secrets,
                settings,
                clock,
                random,
                Tracing.off().tracer());
    }

    /** A dispatcher whose calls are spans of {@code tracer}. */
    public WebhookDispatcher(
            WebhookDeliveries deliveries,
            JobStore jobs,
            WebhookSender sender,
            WebhookSecrets secrets,
            WebhookSettings settings,
            Clock clock,
            RandomGenerator random,
            Tracer tracer) {
        this.tracer = tracer;
        this.deliveries = deliveries;
        this.jobs = jobs;
        this.sender = sender;
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** Runs {@link #deliverDue()} every poll interval on a virtual thread until closed. */
    public WebhookDispatcher start() {
        loop = Thread.ofVirtual().name("webhooks").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    deliverDue();
                    clock.sleep(settings.pollInterval());
                } catch (InterruptedException stopped) {
                    return;
                } catch (RuntimeException failed) {
                    log.warn("a pass over webhook deliveries failed; trying again", failed);
                    if (!pause()) {
                        return;
                    }
                }
            }
        });
        return this;
    }

    /** One pass over the due deliveries; answers how many were sent or prepared. */
    public int deliverDue() {
        deliveries.adoptOrphans(BATCH);
        int handled = 0;
        for (WebhookDelivery delivery : deliveries.due(BATCH)) {
            if (deliveries.claim(delivery.id(), clock.instant().plus(settings.claimFor()))) {
                handled += handle(delivery) ? 1 : 0;
            }
        }
        return handled;
    }

    private boolean handle(WebhookDelivery delivery) {
        if (delivery.state() == WebhookDelivery.State.WAITING) {
            Optional<Job> job = jobs.find(delivery.tenant(), delivery.jobId());
            if (job.isEmpty()) {
                deliveries.abandon(delivery.id(), "job " + delivery.jobId() + " no longer exists");
                return false;
            }
            if (!job.get().status().isFinal()) {
                deliveries.postpone(delivery.id(), clock.instant().plus(settings.pollInterval()));
                return false;
            }
            String event = "job." + job.get().status().jsonName();
            String payload = payload(delivery, event, job.get());
            deliveries.ready(delivery.id(), event, payload);
            return send(delivery, event, payload, job.get().traceparent());
        }
        Optional<String> traceparent =
                jobs.find(delivery.tenant(), delivery.jobId()).flatMap(Job::traceparent);
        return send(delivery, delivery.event().orElseThrow(), delivery.payload().orElseThrow(), traceparent);
    }

    private boolean send(WebhookDelivery delivery, String event, String payload, Optional<String> traceparent) {
        Span span = tracer.spanBuilder("webhook " + event)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(traceparent.map(TraceParents::context).orElseGet(Context::root))
                .setAttribute(DELIVERY_ID, delivery.id())
                .setAttribute(JOB_ID, delivery.jobId())
                .setAttribute(ATTEMPT, delivery.attempts() + 1L)
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return send(delivery, event, payload, span);
        } finally {
            span.end();
        }
    }

    private boolean send(WebhookDelivery delivery, String event, String payload, Span span) {
        String id = delivery.id();
        Optional<byte[]> secret = secrets.of(delivery.tenant());
        if (secret.isEmpty()) {
            deliveries.abandon(id, secrets.problem(delivery.tenant()).orElse("no signing secret"));
            return false;
        }
        DeliveryResult result = sender.send(
                delivery.url(), id, event, payload.getBytes(StandardCharsets.UTF_8), secret.get(), clock.instant());
        switch (result) {
            case DeliveryResult.Delivered delivered -> {
                span.setAttribute(STATUS, (long) delivered.status());
                deliveries.delivered(id, delivered.status());
            }
            case DeliveryResult.Failed failed -> {
                span.setAttribute(STATUS, (long) failed.status());
                span.setStatus(StatusCode.ERROR, "delivery failed");
                int attempt = delivery.attempts() + 1;
                boolean again = failed.retryable() && attempt < settings.maxAttempts();
                Optional<Instant> retryAt = again
                        ? Optional.of(clock.instant().plus(settings.delayBefore(attempt, random.nextDouble())))
                        : Optional.empty();
                log.info("webhook {} of job {} attempt {} failed: {}", id, delivery.jobId(), attempt, failed.reason());
                deliveries.attemptFailed(id, failed.status(), failed.reason(), retryAt);
            }
        }
        return true;
    }

    private String payload(WebhookDelivery delivery, String event, Job job) {
        ObjectNode body = json.createObjectNode()
                .put("id", delivery.id())
                .put("type", event)
                .put("created_at", clock.instant().toString());
        body.set("data", JobView.summary(job));
        try {
            return json.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a job could not be written as JSON", e);
        }
    }

    private boolean pause() {
        try {
            clock.sleep(settings.pollInterval());
            return true;
        } catch (InterruptedException stopped) {
            return false;
        }
    }

    @Override
    public void close() {
        Thread running = loop;
        if (running != null) {
            running.interrupt();
            try {
                running.join(settings.claimFor().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
