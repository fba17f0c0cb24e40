package dev.pipewright.release;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a deployment's history: who ({@code by}: {@code canary} for the analysis, {@code master} or a tenant
 * for a call of the API) did what to which candidate version, why, and the numbers it decided on (JSON).
 */
record Decision(
        String deployment,
        String candidate,
        String version,
        Instant at,
        String action,
        String by,
        String reason,
        String numbers) {
    Decision {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(numbers, "numbers");
    }
}
