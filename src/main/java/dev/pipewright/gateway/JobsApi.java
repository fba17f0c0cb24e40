package dev.pipewright.gateway;

import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookTargets;
import java.util.Objects;

/**
 * What the async job routes need: the store jobs are committed to, and for webhooks the guard that checks a URL at
 * submission, the tenants' signing secrets and the durable deliveries a submission registers.
 */
public record JobsApi(
        JobStore store, WebhookTargets webhookTargets, WebhookSecrets webhookSecrets, WebhookDeliveries deliveries) {
    public JobsApi {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(webhookTargets, "webhookTargets");
        Objects.requireNonNull(webhookSecrets, "webhookSecrets");
        Objects.requireNonNull(deliveries, "deliveries");
    }
}
