package dev.pipewright.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetStatus;
import dev.pipewright.cost.Budgets;
import dev.pipewright.jobs.webhook.DeliveryResult;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookSender;
import dev.pipewright.jobs.webhook.WebhookSettings;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a budget's 80% alert to the tenant's {@code budget.alert_webhook}, signed like job webhooks with the tenant's
 * secret and checked against the same address rules ({@code webhooks.allow}). One attempt, on a thread of its own:
 * the metric and the log line are the alert of record, the webhook a convenience.
 */
final class BudgetAlertWebhooks implements Consumer<Budgets.BudgetAlert> {
    private static final Logger log = LoggerFactory.getLogger(BudgetAlertWebhooks.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final Supplier<PipewrightConfig> config;
    private final Clock clock;

    BudgetAlertWebhooks(Supplier<PipewrightConfig> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void accept(Budgets.BudgetAlert alert) {
        alert.webhook()
                .ifPresent(url ->
                        Thread.ofVirtual().name("pipewright-budget-alert").start(() -> post(url, alert)));
    }

    private void post(String url, Budgets.BudgetAlert alert) {
        BudgetStatus status = alert.status();
        try {
            PipewrightConfig current = config.get();
            WebhookSender sender = new WebhookSender(
                    new WebhookTargets(current.webhooks().allow(), HostResolver.system()), WebhookSettings.defaults());
            byte[] secret = new WebhookSecrets(config, System::getenv)
                    .of(status.tenant())
                    .orElse(new byte[0]);
            String id = UUID.randomUUID().toString();
            DeliveryResult result = sender.send(url, id, "budget.warning", body(id, status), secret, clock.instant());
            log.info("budget alert for tenant {} to its webhook: {}", status.tenant(), result);
        } catch (RuntimeException e) {
            log.warn("budget alert for tenant {} not delivered: {}", status.tenant(), e.getMessage());
        }
    }

    private byte[] body(String id, BudgetStatus status) {
        ObjectNode json = JSON.createObjectNode()
                .put("id", id)
                .put("type", "budget.warning")
                .put("created_at", clock.instant().toString());
        ObjectNode data = json.putObject("data")
                .put("scope", status.scope())
                .put("tenant", status.tenant())
                .put("pipeline", status.pipeline().orElse(null))
                .put("period", status.period())
                .put("limit_usd", status.limitUsd())
                .put("used_usd", status.usedUsd())
                .put("ratio", status.ratio())
                .put("resets_at", status.resetsAt().toString());
        data.put("action", status.action().name().toLowerCase(java.util.Locale.ROOT));
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
