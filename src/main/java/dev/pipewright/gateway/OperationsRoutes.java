package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.gateway.auth.Tenants;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * {@code POST /admin/reload} and {@code GET /admin/config} (master key only), {@code GET /v1/schedules} (any key)
 * and {@code POST /v1/schedules/{name}/run} (master key only). A reload that finds the file invalid answers 422
 * with every problem and leaves the running configuration as it was.
 */
final class OperationsRoutes {
    private final Operations operations;
    private final JsonBodies bodies;

    OperationsRoutes(Operations operations, JsonBodies bodies) {
        this.operations = operations;
        this.bodies = bodies;
    }

    void reload(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        if (notMaster(request, response, requestId)) {
            return;
        }
        ConfigAdmin admin = operations.admin().orElseThrow();
        switch (admin.reload(by(request))) {
            case ConfigAdmin.ReloadOutcome.Applied applied -> send(response, 200, applied.summary());
            case ConfigAdmin.ReloadOutcome.Rejected rejected -> {
                ObjectNode body = bodies.mapper()
                        .createObjectNode()
                        .put("type", "/problems/invalid-config")
                        .put("title", "Invalid configuration")
                        .put("status", 422)
                        .put(
                                "detail",
                                "the file has " + rejected.problems().size()
                                        + " problem(s); the running configuration stays")
                        .put("request_id", requestId);
                ArrayNode problems = body.putArray("problems");
                rejected.problems().forEach(problems::add);
                response.status(422)
                        .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .send(bodies.mapper().writeValueAsBytes(body));
            }
        }
    }

    void config(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        if (notMaster(request, response, requestId)) {
            return;
        }
        send(response, 200, operations.admin().orElseThrow().describe());
    }

    void schedules(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        send(response, 200, operations.schedules().orElseThrow().list());
    }

    void runSchedule(ServerRequest request, ServerResponse response, String requestId) throws Exception {
        if (notMaster(request, response, requestId)) {
            return;
        }
        String name = request.path().pathParameters().get("name");
        Optional<JsonNode> run = operations.schedules().orElseThrow().run(name, by(request));
        if (run.isEmpty()) {
            Problem.notFound("no schedule named '" + name + "'").send(response, bodies.mapper(), requestId);
            return;
        }
        send(response, 202, run.get());
    }

    private boolean notMaster(ServerRequest request, ServerResponse response, String requestId) {
        if (Tenants.of(request).master()) {
            return false;
        }
        new Problem(403, "/problems/forbidden", "Not allowed", "only the master key may do this")
                .send(response, bodies.mapper(), requestId);
        return true;
    }

    private static String by(ServerRequest request) {
        Tenant tenant = Tenants.of(request);
        return tenant.master() ? "master" : tenant.name();
    }

    private void send(ServerResponse response, int status, JsonNode body) throws Exception {
        response.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bodies.mapper().writeValueAsBytes(body));
    }
}
