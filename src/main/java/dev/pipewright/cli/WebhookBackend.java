package dev.pipewright.cli;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.JobsApi;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookDispatcher;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookSender;
import dev.pipewright.jobs.webhook.WebhookSettings;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Webhooks on the job database: the durable deliveries, the SSRF guard built from {@code webhooks.allow}, the
 * tenants' secrets from the environment, and the dispatcher that a worker process runs.
 */
final class WebhookBackend implements AutoCloseable {
    private final JobBackend jobs;
    private final Supplier<PipewrightConfig> config;
    private final Clock clock;
    private final WebhookDeliveries deliveries;
    private final WebhookTargets targets;
    private final WebhookSecrets secrets;
    private WebhookDispatcher dispatcher;

    private WebhookBackend(JobBackend jobs, Supplier<PipewrightConfig> config, Clock clock) {
        this.jobs = jobs;
        this.config = config;
        this.clock = clock;
        this.deliveries = new WebhookDeliveries(jobs.database(), clock);
        this.targets = new WebhookTargets(config.get().webhooks().allow(), HostResolver.system());
        this.secrets = new WebhookSecrets(config, System::getenv);
    }

    /** Brings the delivery table up to date on the job database. */
    static WebhookBackend open(JobBackend jobs, Supplier<PipewrightConfig> config, Clock clock) {
        return new WebhookBackend(jobs, config, clock);
    }

    /** What the gateway's job routes need. */
    JobsApi jobsApi() {
        return new JobsApi(jobs.store(), targets, secrets, deliveries);
    }

    /** Registers the webhook delivery of a job taken out of the dead letter queue, when it has a webhook. */
    void replayed(Job job) {
        job.webhookUrl().ifPresent(url -> deliveries.expectAfterReplay(job.tenant(), job.id(), url));
    }

    /** Starts delivering the webhooks of ended jobs in the background, until closed; each call a span of tracer. */
    WebhookBackend deliverInBackground(Tracer tracer) {
        WebhookSettings settings = WebhookSettings.defaults();
        dispatcher = new WebhookDispatcher(
                        deliveries,
                        jobs.store(),
                        new WebhookSender(targets, settings),
                        secrets,
                        settings,
                        clock,
                        () -> ThreadLocalRandom.current().nextLong(),
                        tracer)
                .start();
        return this;
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
