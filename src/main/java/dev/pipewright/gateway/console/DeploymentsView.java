package dev.pipewright.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What the console's deployment page reads and does, in the shapes of {@code GET /v1/deployments[/{name}]} and
 * {@code POST /v1/deployments/{name}/promote|pause|resume|rollback}, so that the page and the HTTP API agree.
 */
public interface DeploymentsView {
    /** {@code {"deployments":[summary]}}. */
    JsonNode list();

    /**
     * {@code {"name","target","stable":{version,...},"candidates":[{"version","weight","status"}],"state","canary":
     * {"step","weight","next_at"},"history":[{"at","action","by","reason","numbers":{...}}],"shadow":{...},
     * "evals":[...]}}; empty when there is no such deployment.
     */
    Optional<JsonNode> find(String name);

    /**
     * Carries out {@code action} on the deployment for {@code by} (written to the audit log by the release code) and
     * answers the deployment afterwards.
     *
     * @throws IllegalArgumentException when there is no such deployment
     * @throws IllegalStateException when the action does not apply in the deployment's state
     */
    JsonNode act(String name, DeploymentAction action, String by, String reason);

    enum DeploymentAction {
        PROMOTE,
        PAUSE,
        RESUME,
        ROLLBACK;

        public String pathName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
