package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.cache.CaffeineResponseCache;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.model.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The response cache on the compatible chat routes. */
class CompatibleCacheTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static CompatibleGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new CompatibleGateway(
                new ResponseCaching(new CaffeineResponseCache(Duration.ofMinutes(5), 100, Clock.system()), false));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static String chat(String prompt, String extra) {
        return "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]" + extra + "}";
    }

    private static HttpResponse<String> post(String key, String path, String body, String cacheControl)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!cacheControl.isEmpty()) {
            request.header("Cache-Control", cacheControl);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String outcome(HttpResponse<String> response) {
        return response.headers().firstValue("x-pipewright-cache").orElse("");
    }

    @Test
    void a_repeated_chat_is_answered_from_the_cache() throws Exception {
        // given
        String body = chat("cache me once", "");

        // when
        HttpResponse<String> first = post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");
        HttpResponse<String> second = post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(outcome(first)).isEqualTo("miss");
        assertThat(outcome(second)).isEqualTo("hit");
        assertThat(second.body()).contains("\"content\":\"" + content(first.body()) + "\"");
    }

    @Test
    void asking_for_one_tool_call_a_turn_is_a_different_entry() throws Exception {
        // given
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}]";
        post(CompatibleGateway.KEY, "/v1/chat/completions", chat("tools once", tools), "");

        // when
        HttpResponse<String> oneCall = post(
                CompatibleGateway.KEY,
                "/v1/chat/completions",
                chat("tools once", tools + ",\"parallel_tool_calls\":false"),
                "");

        // then
        assertThat(oneCall.statusCode()).isEqualTo(200);
        assertThat(outcome(oneCall)).isEqualTo("miss");
    }

    @Test
    void no_cache_bypasses_the_cache() throws Exception {
        // given
        String body = chat("fresh please", "");
        post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");

        // when
        HttpResponse<String> fresh = post(CompatibleGateway.KEY, "/v1/chat/completions", body, "no-cache");

        // then
        assertThat(outcome(fresh)).isEqualTo("bypass");
    }

    @Test
    void a_sampled_request_is_never_answered_from_the_cache() throws Exception {
        // given
        String body = chat("be creative", ",\"temperature\":0.7");
        post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");

        // when
        HttpResponse<String> again = post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");

        // then
        assertThat(outcome(again)).isEqualTo("bypass");
    }

    @Test
    void another_tenant_does_not_see_the_entry() throws Exception {
        // given
        String body = chat("tenant scoped", "");
        post(CompatibleGateway.KEY, "/v1/chat/completions", body, "");

        // when
        HttpResponse<String> other = post(CompatibleGateway.TENANT_KEY, "/v1/chat/completions", body, "");

        // then
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(outcome(other)).isEqualTo("miss");
    }

    @Test
    void a_cached_answer_is_replayed_as_a_proper_stream() throws Exception {
        // given
        post(CompatibleGateway.KEY, "/v1/chat/completions", chat("stream it later", ""), "");

        // when
        HttpResponse<String> streamed =
                post(CompatibleGateway.KEY, "/v1/chat/completions", chat("stream it later", ",\"stream\":true"), "");

        // then
        assertThat(outcome(streamed)).isEqualTo("hit");
        assertThat(streamed.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(streamed.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void a_complete_stream_is_stored_and_serves_the_other_wire_format() throws Exception {
        // given
        String openAi = chat("one answer for both", ",\"stream\":true");
        String anthropic = "{\"model\":\"chat\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"one answer for both\"}]}";
        String openAiWithLimit = openAi.replace("\"stream\":true", "\"stream\":true,\"max_tokens\":64");

        // when
        HttpResponse<String> streamed = post(CompatibleGateway.KEY, "/v1/chat/completions", openAiWithLimit, "");
        HttpResponse<String> message = post(CompatibleGateway.KEY, "/v1/messages", anthropic, "");

        // then
        assertThat(outcome(streamed)).isEqualTo("miss");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        assertThat(outcome(message)).isEqualTo("hit");
        assertThat(message.body()).contains("\"type\":\"message\"");
    }

    private static String content(String completion) {
        int start = completion.indexOf("\"content\":\"") + "\"content\":\"".length();
        return completion.substring(start, completion.indexOf('"', start));
    }
}
