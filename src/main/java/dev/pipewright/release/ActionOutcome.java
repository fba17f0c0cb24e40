package dev.pipewright.release;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an operator's action on a deployment ended. */
public sealed interface ActionOutcome {
    /** Done: the deployment as it now stands. */
    record Done(ObjectNode deployment) implements ActionOutcome {}

    /** No such deployment or candidate. */
    record NotFound(String message) implements ActionOutcome {}

    /** The action does not fit the candidate's state, or the promotion gate refused it. */
    record Refused(String message) implements ActionOutcome {}
}
