package dev.pipewright.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Reads {@code queues: {max_running_per_tenant, tenants: NAME: {max_running, share}}}. */
final class QueuesReader {
    private QueuesReader() {}

    static QueueConfig read(ConfigNode section) {
        return section.block("max_running_per_tenant", "tenants")
                .map(block -> {
                    OptionalInt cap = block.get("max_running_per_tenant").positiveInteger();
                    Map<String, QueueConfig.TenantQueue> tenants = new LinkedHashMap<>();
                    block.get("tenants")
                            .entries("tenant names to {max_running, share}", NameRule.PLAIN)
                            .forEach((name, node) -> node.required()
                                    .block("max_running", "share")
                                    .ifPresent(tenant -> tenants.put(
                                            name,
                                            new QueueConfig.TenantQueue(
                                                    tenant.get("max_running").positiveInteger(),
                                                    tenant.get("share")
                                                            .positiveInteger()
                                                            .orElse(1)))));
                    return new QueueConfig(cap, tenants);
                })
                .orElse(QueueConfig.DEFAULT);
    }
}
