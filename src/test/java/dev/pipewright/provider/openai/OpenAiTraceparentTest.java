package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiTraceparentTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final MockWebServer server = new MockWebServer();
    private OpenAiModelClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        ProviderConfig provider = new ProviderConfig(
                "openai",
                ProviderKind.OPENAI,
                Optional.of("OPENAI_API_KEY"),
                Optional.of(server.url("/v1").uri()));
        client = new OpenAiModelClient(provider, name -> Optional.of("sk-test"), Clock.system());
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(Fixtures.read("chat-completion.json"))
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void chat() {
        client.chat(
                ModelRequest.Chat.of(ChatMessage.user("Hello?")),
                new CallOptions("gpt-4o-mini-2024-07-18", Duration.ofSeconds(5), "trace"));
    }

    @Test
    void the_current_span_reaches_the_provider_as_a_w3c_traceparent() throws Exception {
        // given
        Span attempt =
                Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));

        // when
        try (Scope ignored = attempt.makeCurrent()) {
            chat();
        }

        // then
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    }

    @Test
    void outside_a_span_no_traceparent_is_sent() throws Exception {
        // when
        chat();

        // then
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("traceparent"))
                .isNull();
    }
}
