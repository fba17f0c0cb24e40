package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicCompatibleRoutesTest {
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

    private static String messages(String model, String extra) {
        return "{\"model\": \"" + model + "\", \"max_tokens\": 100, \"system\": [{\"type\": \"text\", \"text\":"
                + " \"Be brief.\"}], \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\":"
                + " \"hello there\"}, {\"type\": \"image\", \"source\": {\"type\": \"base64\", \"media_type\":"
                + " \"image/png\", \"data\": \"iVBORw0KGgo=\"}}]}]" + extra + "}";
    }

    private record Event(String name, JsonNode data) {}

    private static List<Event> events(String body) throws Exception {
        List<Event> events = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            JsonNode data = JSON.readTree(lines[1].substring("data: ".length()));
            String name = lines[0].substring("event: ".length());
            assertThat(data.get("type").asText()).isEqualTo(name);
            events.add(new Event(name, data));
        }
        return events;
    }

    @Test
    void answers_a_message_in_anthropic_shape() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("chat", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("id").asText()).startsWith("msg_");
        assertThat(body.get("type").asText()).isEqualTo("message");
        assertThat(body.get("role").asText()).isEqualTo("assistant");
        assertThat(body.get("model").asText()).isEqualTo("sim-chat-2025-01-01");
        assertThat(body.get("content").get(0).get("type").asText()).isEqualTo("text");
        assertThat(body.get("content").get(0).get("text").asText()).isNotBlank();
        assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(body.get("usage").get("input_tokens").asLong()).isPositive();
        assertThat(body.get("usage").get("output_tokens").asLong()).isEqualTo(12);
    }

    @Test
    void reports_max_tokens_when_the_limit_cut_the_answer() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/messages", messages("chat", "").replace("\"max_tokens\": 100", "\"max_tokens\": 3"));

        // then
        assertThat(JSON.readTree(response.body()).get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void streams_the_event_sequence_of_the_messages_api() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("chat", ", \"stream\": true"));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = events(response.body());
        List<String> names = events.stream().map(Event::name).toList();
        assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
        assertThat(names.subList(names.size() - 3, names.size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(names.subList(3, names.size() - 3)).hasSize(12).allMatch("content_block_delta"::equals);
        assertThat(events.getFirst().data().get("message").get("model").asText())
                .isEqualTo("sim-chat-2025-01-01");
        JsonNode delta = events.get(names.size() - 2).data();
        assertThat(delta.get("delta").get("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(delta.get("usage").get("output_tokens").asLong()).isEqualTo(12);
        assertThat(delta.get("usage").get("input_tokens").asLong()).isPositive();
        StringBuilder text = new StringBuilder();
        for (Event event : events.subList(3, names.size() - 3)) {
            assertThat(event.data().get("delta").get("type").asText()).isEqualTo("text_delta");
            text.append(event.data().get("delta").get("text").asText());
        }
        assertThat(text.toString()).isNotBlank();
    }

    @Test
    void fails_over_before_the_first_event_to_the_fallback() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("flaky-chat", ", \"stream\": true"));

        // then
        assertThat(response.headers().firstValue("x-pipewright-model")).hasValue("chat");
        assertThat(events(response.body()).getLast().name()).isEqualTo("message_stop");
    }

    @Test
    void ends_a_broken_stream_with_an_error_event_and_no_message_stop() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("cut-chat", ", \"stream\": true"));

        // then
        List<Event> events = events(response.body());
        Event last = events.getLast();
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().get("error").get("type").asText()).isEqualTo("api_error");
        assertThat(last.data().get("error").get("message").asText()).contains("cut-chat");
        assertThat(events).noneMatch(event -> event.name().equals("message_stop"));
        assertThat(events).noneMatch(event -> event.name().equals("message_delta"));
    }

    @Test
    void a_missing_max_tokens_is_a_400_as_on_the_real_api() throws Exception {
        // when
        HttpResponse<String> response =
                gateway.post("/v1/messages", messages("chat", "").replace("\"max_tokens\": 100, ", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.get("error").get("message").asText()).contains("max_tokens: required");
    }

    @Test
    void an_unknown_model_is_a_404_not_found_error() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("claude-nope", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("error").get("type").asText())
                .isEqualTo("not_found_error");
    }

    @Test
    void a_rate_limited_model_is_a_429_rate_limit_error_with_retry_after() throws Exception {
        // when
        HttpResponse<String> response = gateway.post("/v1/messages", messages("limited-chat", ""));

        // then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
        assertThat(JSON.readTree(response.body()).get("error").get("type").asText())
                .isEqualTo("rate_limit_error");
    }
}
