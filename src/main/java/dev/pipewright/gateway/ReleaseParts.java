package dev.pipewright.gateway;

import dev.pipewright.release.DeploymentControl;
import dev.pipewright.release.ReleaseHooks;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gateway needs from releases: the hooks every pipeline run goes through (variant choice, then what was
 * served), and the deployments API ({@code /v1/deployments}; none: not served).
 */
public record ReleaseParts(ReleaseHooks hooks, Optional<DeploymentControl> control) {
    /** Every pipeline served by its one version; no deployments API. */
    public static final ReleaseParts NONE = new ReleaseParts(ReleaseHooks.NONE, Optional.empty());

    public ReleaseParts {
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(control, "control");
    }
}
