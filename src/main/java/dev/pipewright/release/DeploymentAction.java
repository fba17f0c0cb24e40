package dev.pipewright.release;

import java.util.Locale;
import java.util.Optional;

/** What an operator may do to a candidate through the API. */
public enum DeploymentAction {
    /** All the traffic to the candidate; refused unless its latest evaluation passed, when evaluations are set. */
    PROMOTE,
    /** Hold a canary at its share: no analysis, no step. */
    PAUSE,
    /** Continue a paused canary; its step's window starts again. */
    RESUME,
    /** No traffic to the candidate any more. */
    ROLLBACK;

    public String pathName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeploymentAction> of(String pathName) {
        for (DeploymentAction action : values()) {
            if (action.pathName().equals(pathName)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
