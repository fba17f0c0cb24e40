package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;

/**
 * An RFC 9457 problem detail, the error body of every native route. {@code type} is a stable, relative URI that
 * names the kind of problem; {@code detail} says what was wrong with this request.
 */
record Problem(int status, String type, String title, String detail) {
    static final String MEDIA_TYPE = "application/problem+json";

    static Problem badRequest(String detail) {
        return new Problem(400, "/problems/invalid-request", "Invalid request", detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "/problems/not-found", "Not found", detail);
    }

    void send(ServerResponse response, ObjectMapper json, String requestId) {
        ObjectNode body = json.createObjectNode()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("request_id", requestId);
        try {
            response.status(status).header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE).send(json.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
