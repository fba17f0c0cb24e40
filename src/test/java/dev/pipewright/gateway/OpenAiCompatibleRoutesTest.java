package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CompatibleGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new CompatibleGateway();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String chat(String model, String extra) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
                + " {\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hello there\"}]}]" + extra
                + "}";
    }

    /** The JSON of each {@code data:} line, and the raw lines, of an event stream. */
    private static List<String> dataLines(String body) {
        List<String> lines = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            assertThat(frame).startsWith("data: ");
            lines.add(frame.substring("data: ".length()));
        }
        return lines;
    }

    @Test
    void answers_a_chat_completion_in_openai_shape_naming_the_model_that_answered() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("chat", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo("sim-chat-2025-01-01");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isPositive();
        assertThat(usage.get("completion_tokens").asLong()).isPositive();
        assertThat(usage.get("total_tokens").asLong())
                .isEqualTo(usage.get("prompt_tokens").asLong()
                        + usage.get("completion_tokens").asLong());
    }

    @Test
    void reports_a_length_finish_when_max_tokens_cut_the_answer() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("chat", ", \"max_tokens\": 2"));

        // then
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asLong()).isEqualTo(2);
    }

    @Test
    void streams_chunks_framed_as_openai_frames_them() throws Exception {
        // when
        HttpResponse<String> response = gateway.post(
                "/v1/chat/completions",
                chat("chat", ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String line : data.subList(0, data.size() - 1)) {
            chunks.add(JSON.readTree(line));
        }
        JsonNode first = chunks.getFirst();
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("model").asText()).isEqualTo("sim-chat-2025-01-01");
        assertThat(first.get("choices").get(0).get("delta").get("role").asText())
                .isEqualTo("assistant");
        JsonNode usageChunk = chunks.getLast();
        assertThat(usageChunk.get("choices")).isEmpty();
        assertThat(usageChunk.get("usage").get("completion_tokens").asLong()).isEqualTo(12);
        JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertThat(finish.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.get("delta").isEmpty()).isTrue();
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks.subList(1, chunks.size() - 2)) {
            assertThat(chunk.get("id").asText()).isEqualTo(first.get("id").asText());
            assertThat(chunk.get("choices").get(0).get("finish_reason").isNull())
                    .isTrue();
            text.append(chunk.get("choices").get(0).get("delta").get("content").asText());
        }
        assertThat(text.toString().split(" ")).hasSize(12);
    }

    @Test
    void a_stream_without_include_usage_sends_no_usage_chunk() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("chat", ", \"stream\": true"));

        // then
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        assertThat(data).noneMatch(line -> line.contains("\"usage\""));
    }

    @Test
    void fails_over_before_the_first_byte_and_names_the_fallback_that_answered() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("flaky-chat", ", \"stream\": true"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
        List<String> data = dataLines(response.body());
        assertThat(data.getLast()).isEqualTo("[DONE]");
        assertThat(JSON.readTree(data.getFirst()).get("model").asText()).isEqualTo("sim-chat-2025-01-01");
    }

    @Test
    void ends_a_stream_that_breaks_after_its_first_chunk_with_an_error_event_and_no_done() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("cut-chat", ", \"stream\": true"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("cut-chat");
        List<String> data = dataLines(response.body());
        assertThat(data).doesNotContain("[DONE]");
        JsonNode last = JSON.readTree(data.getLast());
        assertThat(last.get("error").get("code").asText()).isEqualTo("upstream_error");
        assertThat(last.get("error").get("message").asText()).contains("cut-chat");
        assertThat(data).noneMatch(line -> line.contains("\"finish_reason\":\"stop\""));
        assertThat(JSON.readTree(data.getFirst()).get("model").asText()).isEqualTo("sim-cut-2025-01-01");
    }

    @Test
    void a_stream_that_fails_before_its_first_chunk_is_a_plain_error_status() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/chat/completions", chat("limited-chat", ", \"stream\": true"));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void maps_a_context_length_failure_to_a_400_with_its_code() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("long-chat", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("context_length_exceeded");
    }

    @Test
    void a_model_group_hands_a_failed_call_to_its_next_member() throws Exception {
        // when: the group almost always picks broken-chat first, which fails every call
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("pool", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
    }

    @Test
    void a_tenants_token_limit_counts_the_tokens_the_model_really_used() throws Exception {
        // given: each answer uses about 160 tokens of acme's 200 a minute, while a request is estimated at far fewer
        String request = chat("wordy-chat", "");

        // when
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(gateway.postAs(CompatibleGateway.TENANT_KEY, "/v1/chat/completions", request)
                    .statusCode());
        }

        // then
        assertThat(statuses).containsExactly(200, 200, 429);
    }

    @Test
    void an_unknown_model_is_a_404_model_not_found() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/chat/completions", chat("gpt-nope", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("gpt-nope");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void answers_embeddings_as_floats_by_default() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/embeddings", "{\"model\": \"embedder\", \"input\": [\"one\", \"two\"]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo("sim-embedder-2025-01-01");
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.get("data").get(1).get("index").asInt()).isEqualTo(1);
        assertThat(body.get("data").get(0).get("object").asText()).isEqualTo("embedding");
        assertThat(body.get("data").get(0).get("embedding")).hasSize(8);
        assertThat(body.get("usage").get("prompt_tokens").asLong()).isPositive();
    }

    @Test
    void answers_embeddings_as_base64_of_little_endian_floats_when_asked() throws Exception {
        // given
        JsonNode floats = JSON.readTree(gateway.post("/v1/embeddings", "{\"model\": \"embedder\", \"input\": \"one\"}")
                        .body())
                .get("data")
                .get(0)
                .get("embedding");

        // when
        HttpResponse<String> response = gateway.post(
                "/v1/embeddings", "{\"model\": \"embedder\", \"input\": \"one\", \"encoding_format\": \"base64\"}");

        // then
        String encoded = JSON.readTree(response.body())
                .get("data")
                .get(0)
                .get("embedding")
                .asText();
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.remaining()).isEqualTo(8 * Float.BYTES);
        for (int i = 0; i < 8; i++) {
            assertThat(bytes.getFloat()).isEqualTo(floats.get(i).floatValue());
        }
    }

    @Test
    void shortens_vectors_to_the_dimensions_asked_for_at_unit_length() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/embeddings", "{\"model\": \"embedder\", \"input\": \"one\", \"dimensions\": 3}");

        // then
        JsonNode vector = JSON.readTree(response.body()).get("data").get(0).get("embedding");
        assertThat(vector).hasSize(3);
        double squares = 0;
        for (JsonNode component : vector) {
            squares += component.asDouble() * component.asDouble();
        }
        assertThat(squares).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void refuses_more_dimensions_than_the_model_produces() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/embeddings", "{\"model\": \"embedder\", \"input\": \"one\", \"dimensions\": 9}");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("dimensions");
        assertThat(error.get("message").asText()).contains("8-dimensional");
    }

    @Test
    void lists_the_configured_aliases_as_models() throws Exception {
        // when
        HttpResponse<String> response = gateway.get("/v1/models");

        // then
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        for (JsonNode model : body.get("data")) {
            assertThat(model.get("object").asText()).isEqualTo("model");
            assertThat(model.get("owned_by").asText()).isEqualTo("pipewright");
            assertThat(model.get("created").asLong()).isPositive();
            ids.add(model.get("id").asText());
        }
        assertThat(ids).containsExactlyElementsOf(gateway.config.models().keySet());
    }

    @Test
    void retrieves_one_model_or_404s() throws Exception {
        // when
        HttpResponse<String> known = gateway.get("/v1/models/embedder");
        HttpResponse<String> unknown = gateway.get("/v1/models/nope");

        // then
        assertThat(JSON.readTree(known.body()).get("id").asText()).isEqualTo("embedder");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").get("code").asText())
                .isEqualTo("model_not_found");
    }
}
