package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.release.ActionOutcome;
import dev.pipewright.release.DeploymentAction;
import dev.pipewright.release.DeploymentControl;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/deployments}, {@code GET /v1/deployments/{name}} and {@code POST
 * /v1/deployments/{name}/promote|pause|resume|rollback} (master key only; body optional: {@code {"candidate",
 * "reason"}}), and {@code POST /v1/deployments/{name}/feedback} {@code {"request_id", "score"}} for the online
 * quality score of a served run.
 */
final class DeploymentRoutes {
    private static final Set<String> ACTION_FIELDS = Set.of("candidate", "reason");
    private static final Set<String> FEEDBACK_FIELDS = Set.of("request_id", "score");

    private final DeploymentControl control;
    private final JsonBodies bodies;

    DeploymentRoutes(DeploymentControl control, JsonBodies bodies) {
        this.control = control;
        this.bodies = bodies;
    }

    void list(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        send(response, control.list());
    }

    void show(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String name = request.path().pathParameters().get("name");
        Optional<ObjectNode> deployment = control.show(name);
        if (deployment.isEmpty()) {
            Problem.notFound("no deployment named '" + name + "'").send(response, bodies.mapper(), requestId);
            return;
        }
        send(response, deployment.get());
    }

    void act(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String name = request.path().pathParameters().get("name");
        String path = request.path().pathParameters().get("action");
        Optional<DeploymentAction> action = DeploymentAction.of(path);
        if (action.isEmpty()) {
            Problem.notFound("no action '" + path + "' on deployments; use promote, pause, resume or rollback")
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        Tenant caller = Tenants.of(request);
        if (!caller.master()) {
            new Problem(
                            403,
                            "/problems/forbidden",
                            "Forbidden",
                            "changing a deployment needs the master key (PIPEWRIGHT_MASTER_KEY)")
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        JsonNode body = body(request, ACTION_FIELDS);
        Optional<String> candidate = text(body, "candidate");
        String reason = text(body, "reason").orElse("");
        switch (control.act(name, action.get(), candidate, "master", reason)) {
            case ActionOutcome.Done done -> send(response, done.deployment());
            case ActionOutcome.NotFound notFound ->
                Problem.notFound(notFound.message()).send(response, bodies.mapper(), requestId);
            case ActionOutcome.Refused refused ->
                new Problem(409, "/problems/conflict", "Action refused", refused.message())
                        .send(response, bodies.mapper(), requestId);
        }
    }

    void feedback(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        String name = request.path().pathParameters().get("name");
        JsonNode body = body(request, FEEDBACK_FIELDS);
        String runId = text(body, "request_id")
                .orElseThrow(() -> new BadRequestException("request_id: required, the id of the run to score"));
        JsonNode score = body.get("score");
        if (score == null || !score.isNumber() || score.doubleValue() < 0 || score.doubleValue() > 1) {
            throw new BadRequestException("score: required, a number between 0 and 1");
        }
        if (!control.score(name, runId, score.doubleValue())) {
            Problem.notFound("deployment '" + name + "' served no run with request id '" + runId + "'")
                    .send(response, bodies.mapper(), requestId);
            return;
        }
        response.status(204).send();
    }

    private JsonNode body(ServerRequest request, Set<String> allowed) {
        if (!request.content().hasEntity()) {
            return bodies.mapper().createObjectNode();
        }
        JsonNode body = bodies.parse(request);
        if (!body.isObject()) {
            throw new BadRequestException("the request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                throw new BadRequestException("unknown field '" + field + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return body;
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new BadRequestException(field + ": expected a string");
        }
        return Optional.of(value.textValue());
    }

    private void send(ServerResponse response, ObjectNode body) throws Exception {
        response.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bodies.mapper().writeValueAsBytes(body));
    }
}
