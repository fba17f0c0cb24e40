package dev.pipewright.gateway.console;

import java.util.Objects;
import java.util.Optional;

/**
 * The console's sources that other parts of Pipewright provide: costs and budgets, and deployments. A page whose
 * source is absent says that it is not configured.
 */
public record ConsoleViews(Optional<CostsView> costs, Optional<DeploymentsView> deployments) {
    public ConsoleViews {
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(deployments, "deployments");
    }

    public static ConsoleViews none() {
        return new ConsoleViews(Optional.empty(), Optional.empty());
    }

    public ConsoleViews withCosts(CostsView view) {
        return new ConsoleViews(Optional.of(view), deployments);
    }

    public ConsoleViews withDeployments(DeploymentsView view) {
        return new ConsoleViews(costs, Optional.of(view));
    }
}
