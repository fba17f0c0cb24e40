package dev.pipewright.provider.simulated.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON in and out of the simulator. Requests are read as trees; answers are written with the streaming generator
 * straight to bytes, with no reflection per request. Thread safe: the mapper and factory are shared.
 */
public final class WireJson {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private WireJson() {}

    /** Writes one JSON document. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * The request body as a JSON object.
     *
     * @throws BadRequest when the body is empty, not JSON, or not an object
     */
    public static JsonNode readObject(InputStream body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new BadRequest("the request body must be a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    public static byte[] document(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        write(bytes, writer);
        return bytes.toByteArray();
    }

    /** A server-sent event frame {@code data: JSON\n\n}. */
    public static byte[] data(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.writeBytes(DATA);
        write(bytes, writer);
        bytes.writeBytes(FRAME_END);
        return bytes.toByteArray();
    }

    /** A named server-sent event frame {@code event: NAME\ndata: JSON\n\n}. */
    public static byte[] event(String name, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.writeBytes(EVENT);
        bytes.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        bytes.write('\n');
        bytes.writeBytes(DATA);
        write(bytes, writer);
        bytes.writeBytes(FRAME_END);
        return bytes.toByteArray();
    }

    private static void write(ByteArrayOutputStream bytes, Writer writer) {
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write JSON to memory", e);
        }
    }
}
