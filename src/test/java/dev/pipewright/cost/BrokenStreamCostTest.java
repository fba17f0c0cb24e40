package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream that breaks off after part of its answer reached the caller is billed for what streamed: the real OpenAI
 * adapter against a MockWebServer whose stream ends before {@code [DONE]}.
 */
class BrokenStreamCostTest {
    private static final String CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
            + "\"finish_reason\":null}]}\n\n";

    private final MockWebServer server = new MockWebServer();
    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private final List<BigDecimal> settled = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ModelCall call;

    @BeforeEach
    void start() throws Exception {
        server.start();
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  openai: {kind: openai, api_key_env: OPENAI_KEY, base_url: "%s"}
                models:
                  gpt: {provider: openai, model: gpt-4o-mini-2024-07-18,
                        price: {input_per_mtok: 3.00, output_per_mtok: 15.00}}
                """.formatted(server.url("/v1")), "t.yaml");
        OpenAiModelClient client =
                new OpenAiModelClient(config.providers().get("openai"), name -> Optional.of("sk-test"), Clock.system());
        BudgetGuard recordingGuard = invocation -> new BudgetGuard.Admission(invocation, settled::add);
        CostInterceptor cost = new CostInterceptor(
                config::model,
                recordingGuard,
                ledger::appendOne,
                new CostMeters(registry),
                new BigDecimal("0.50"),
                Clock.system());
        call = new ModelCall(List.of(cost), model -> client, config::model, Clock.system());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void stream(StringBuilder streamed) {
        call.stream(
                ModelRequest.Chat.of(ChatMessage.user("Hello?")),
                "gpt",
                Deadline.after(Duration.ofSeconds(30), Clock.system()),
                "key",
                new CallLabels("acme", "chat", "answer", "req-1", Map.of("team", "search"), ""),
                streamed::append);
    }

    @Test
    void a_stream_broken_after_its_first_bytes_is_billed_for_the_prompt_and_the_streamed_tokens() {
        // given: two pieces of 11 characters in all (3 tokens), then the connection ends without [DONE]
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/event-stream")
                .body(CHUNK.formatted("Hello") + CHUNK.formatted(" there"))
                .build());
        StringBuilder streamed = new StringBuilder();

        // when
        assertThatThrownBy(() -> stream(streamed)).isInstanceOf(ModelCallException.class);

        // then: 'Hello?' is 2 tokens plus 4 of framing; 6 × $3 + 3 × $15 per million tokens
        assertThat(streamed.toString()).isEqualTo("Hello there");
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.tenant()).isEqualTo("acme");
            assertThat(entry.requestId()).isEqualTo("req-1");
            assertThat(entry.tags()).isEqualTo(Map.of("team", "search"));
            assertThat(entry.model()).isEqualTo("gpt");
            assertThat(entry.providerModel()).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(entry.inputTokens()).isEqualTo(6);
            assertThat(entry.outputTokens()).isEqualTo(3);
            assertThat(entry.estimated()).isTrue();
            assertThat(entry.costUsd()).isEqualByComparingTo("0.000063");
        });
        assertThat(settled).singleElement().satisfies(cost -> assertThat(cost).isEqualByComparingTo("0.000063"));
        assertThat(registry.get("pipewright.cost").tag("model", "gpt").counter().count())
                .isEqualTo(0.000063);
    }

    @Test
    void a_stream_that_fails_before_its_first_byte_writes_no_row() {
        // given
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .addHeader("Content-Type", "application/json")
                .body("{\"error\": {\"message\": \"bad\", \"type\": \"invalid_request_error\", \"code\": null}}")
                .build());

        // when
        assertThatThrownBy(() -> stream(new StringBuilder())).isInstanceOf(ModelCallException.class);

        // then
        assertThat(ledger.entries()).isEmpty();
        assertThat(settled).singleElement().isEqualTo(BigDecimal.ZERO);
    }
}
