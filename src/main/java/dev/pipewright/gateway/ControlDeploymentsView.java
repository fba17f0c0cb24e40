package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.gateway.console.DeploymentsView;
import dev.pipewright.release.ActionOutcome;
import dev.pipewright.release.DeploymentControl;
import java.util.Optional;

/**
 * The console's deployment pages on the release module's {@link DeploymentControl}, the same one {@code
 * /v1/deployments} uses. An action applies to the deployment's canary, or its only candidate, as the API does when
 * the body names none.
 */
final class ControlDeploymentsView implements DeploymentsView {
    private final DeploymentControl control;

    ControlDeploymentsView(DeploymentControl control) {
        this.control = control;
    }

    @Override
    public JsonNode list() {
        return control.list();
    }

    @Override
    public Optional<JsonNode> find(String name) {
        return control.show(name).map(JsonNode.class::cast);
    }

    @Override
    public JsonNode act(String name, DeploymentsView.DeploymentAction action, String by, String reason) {
        // The console's action type shares its names with the release module's, which it may not import by name here.
        dev.pipewright.release.DeploymentAction release = dev.pipewright.release.DeploymentAction.of(action.pathName())
                .orElseThrow(() -> new IllegalArgumentException("no release action " + action.pathName()));
        return switch (control.act(name, release, Optional.empty(), by, reason)) {
            case ActionOutcome.Done done -> done.deployment();
            case ActionOutcome.NotFound notFound -> throw new IllegalArgumentException(notFound.message());
            case ActionOutcome.Refused refused -> throw new IllegalStateException(refused.message());
        };
    }
}
