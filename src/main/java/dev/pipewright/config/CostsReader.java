package dev.pipewright.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code costs:} and the tenants' {@code budget:} blocks, and checks what budgets name. */
final class CostsReader {
    private static final String[] BUDGET_KEYS = {
        "daily_usd", "monthly_usd", "action", "degrade_to", "alert_webhook", "pipelines"
    };
    private static final String[] PIPELINE_BUDGET_KEYS = {"daily_usd", "monthly_usd", "action", "degrade_to"};

    private CostsReader() {}

    static CostsConfig costs(ConfigNode node) {
        CostsConfig defaults = CostsConfig.DEFAULT;
        return node.block("request_ceiling_usd", "reserve_output_tokens", "ledger_queue")
                .flatMap(block -> block.build(() -> new CostsConfig(
                        block.get("request_ceiling_usd").amount().orElse(defaults.requestCeilingUsd()),
                        block.get("reserve_output_tokens").positiveInteger().orElse(defaults.reserveOutputTokens()),
                        block.get("ledger_queue").positiveInteger().orElse(defaults.ledgerQueue()))))
                .orElse(defaults);
    }

    /** {@code budget: {daily_usd, monthly_usd, action, degrade_to, alert_webhook, pipelines: {NAME: {...}}}}. */
    static Optional<Budget> budget(ConfigNode node) {
        return node.block(BUDGET_KEYS).flatMap(block -> {
            Map<String, Budget> pipelines = new LinkedHashMap<>();
            block.get("pipelines")
                    .entries("pipeline names to {daily_usd, monthly_usd, action, degrade_to}", NameRule.PLAIN)
                    .forEach((name, pipeline) -> pipeline.block(PIPELINE_BUDGET_KEYS)
                            .flatMap(limits -> limits(limits, Map.of(), Optional.empty()))
                            .ifPresent(budget -> pipelines.put(name, budget)));
            Optional<String> webhook = block.get("alert_webhook").text();
            webhook.filter(url -> ConfigLoader.parseUri(url)
                            .filter(uri -> ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                                    && uri.getHost() != null)
                            .isEmpty())
                    .ifPresent(url -> block.get("alert_webhook")
                            .problem("'" + ConfigLoader.withoutCredentials(url) + "' is not an http(s) URL"));
            return limits(block, pipelines, webhook);
        });
    }

    private static Optional<Budget> limits(ConfigNode block, Map<String, Budget> pipelines, Optional<String> webhook) {
        Optional<BigDecimal> daily = block.get("daily_usd").amount();
        Optional<BigDecimal> monthly = block.get("monthly_usd").amount();
        boolean limited =
                block.get("daily_usd").isPresent() || block.get("monthly_usd").isPresent();
        if (!limited && pipelines.isEmpty()) {
            block.problem("a budget needs daily_usd, monthly_usd or both");
        }
        BudgetAction action = block.get("action").choice(BudgetAction.class).orElse(BudgetAction.REJECT);
        Optional<String> degradeTo = block.get("degrade_to").name();
        return block.build(() -> new Budget(daily, monthly, action, degradeTo, webhook, pipelines));
    }

    /**
     * Every {@code degrade_to} names a model alias or a model group, and every pipeline budget a pipeline. Run after
     * all sections are read.
     */
    static void check(ConfigNode tenantsSection, Map<String, TenantConfig> tenants, PipewrightConfig config) {
        Set<String> targets = new java.util.HashSet<>(config.models().keySet());
        targets.addAll(config.modelGroups().keySet());
        tenants.forEach((name, tenant) -> tenant.budget().ifPresent(budget -> {
            ConfigNode node = tenantsSection.get(name).get("budget");
            checkTarget(node, budget, targets);
            budget.pipelines().forEach((pipeline, limits) -> {
                ConfigNode pipelineNode = node.get("pipelines").get(pipeline);
                if (!config.pipelines().containsKey(pipeline)) {
                    pipelineNode.problem("unknown pipeline '" + pipeline + "'");
                }
                checkTarget(pipelineNode, limits, targets);
            });
        }));
    }

    private static void checkTarget(ConfigNode node, Budget budget, Set<String> targets) {
        budget.degradeTo()
                .filter(target -> !targets.contains(target))
                .ifPresent(target ->
                        node.get("degrade_to").problem("unknown model alias or model group '" + target + "'"));
    }
}
