package dev.pipewright.config;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How workers share the job queue between tenants ({@code queues:}). Every claim goes to the tenant with the fewest
 * running jobs for its {@code share} (a tenant with share 2 gets twice the workers of one with share 1 when both have
 * work waiting), never to a tenant at its {@code max_running}; interactive jobs go before batch jobs of any tenant.
 * So one tenant's large batch delays another tenant's job by at most the time one running job takes to end.
 */
public record QueueConfig(OptionalInt maxRunningPerTenant, Map<String, TenantQueue> tenants) {
    public static final QueueConfig DEFAULT = new QueueConfig(OptionalInt.empty(), Map.of());

    /** One tenant's cap on running jobs (none: only the default cap) and its share of the workers. */
    public record TenantQueue(OptionalInt maxRunning, int share) {
        public TenantQueue {
            Objects.requireNonNull(maxRunning, "maxRunning");
            if (share < 1) {
                throw new IllegalArgumentException("share must be at least 1, but was " + share);
            }
        }
    }

    public QueueConfig {
        Objects.requireNonNull(maxRunningPerTenant, "maxRunningPerTenant");
        tenants = Maps.ordered(tenants);
    }

    /** The most jobs of {@code tenant} that may run at once across all workers; empty: no cap. */
    public OptionalInt maxRunning(String tenant) {
        TenantQueue own = tenants.get(tenant);
        return own != null && own.maxRunning().isPresent() ? own.maxRunning() : maxRunningPerTenant;
    }

    /** The tenant's share of the workers; 1 when the configuration gives none. */
    public int share(String tenant) {
        TenantQueue own = tenants.get(tenant);
        return own == null ? 1 : own.share();
    }
}
