package dev.pipewright.gateway;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Bodies;
import dev.pipewright.model.Json;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;

/**
 * Parses request bodies with bounds that keep a hostile body from costing more than a normal one: nesting depth,
 * string length and number length are capped, duplicate keys are refused, and every failure becomes a
 * {@link BadRequestException} that says what was wrong.
 */
final class JsonBodies {
    static final int MAX_DEPTH = 64;
    static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;

    private final ObjectMapper mapper;

    JsonBodies() {
        this.mapper = Json.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(100)
                        .build());
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The request's JSON body; a request without one is refused as an empty body. */
    JsonNode parse(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return parse(new byte[0]);
        }
        try {
            return parse(Bodies.read(
                    request.content().inputStream(), request.headers().contentLength(), Integer.MAX_VALUE));
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read: " + e.getMessage());
        }
    }

    JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new BadRequestException("the request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new BadRequestException("the request body is empty; expected a JSON object");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new BadRequestException("the request body exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            throw new BadRequestException("the request body is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new BadRequestException("the request body could not be read: " + e.getMessage());
        }
    }
}
