package dev.pipewright.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicTraceparentTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private final MockWebServer server = new MockWebServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void the_current_span_reaches_the_provider_as_a_w3c_traceparent() throws Exception {
        // given
        server.start();
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "application/json")
                .body(AnthropicFixtures.read("message.json"))
                .build());
        AnthropicModelClient client = AnthropicFixtures.client(URI.create("http://127.0.0.1:" + server.getPort()));
        Span attempt =
                Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));

        // when
        try (Scope ignored = attempt.makeCurrent()) {
            client.chat(AnthropicFixtures.hello(), AnthropicFixtures.options());
        }

        // then
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    }
}
