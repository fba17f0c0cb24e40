package dev.pipewright.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.ProviderProtocol;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.testing.CallerThread;
import dev.pipewright.testing.H2Upstream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.RecordedRequest;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Messages API over HTTP/2 where offered, and an abort that resets the HTTP/2 stream. */
class AnthropicHttp2Test {
    private static AnthropicModelClient clientOf(H2Upstream upstream, ProviderProtocol protocol) {
        ProviderConfig provider = new ProviderConfig(
                        "anthropic",
                        ProviderKind.ANTHROPIC,
                        Optional.of("ANTHROPIC_API_KEY"),
                        Optional.of(upstream.baseUrl("")))
                .withProtocol(protocol);
        return new AnthropicModelClient(
                provider, name -> Optional.of(AnthropicFixtures.API_KEY), Clock.system(), upstream.tls());
    }

    @Test
    void a_message_goes_over_http2_when_the_tls_endpoint_offers_it() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsOfferingH2()) {
            upstream.answer("application/json", AnthropicFixtures.read("message.json"));

            // when
            ModelResponse.Chat answer = clientOf(upstream, ProviderProtocol.AUTO)
                    .chat(AnthropicFixtures.hello(), AnthropicFixtures.options());

            // then
            assertThat(answer.text()).isNotBlank();
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void a_stream_goes_over_h2c_with_prior_knowledge() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.h2c()) {
            upstream.answer("text/event-stream", AnthropicFixtures.read("stream.sse"));
            StringBuilder pieces = new StringBuilder();

            // when
            ModelResponse.Chat answer = clientOf(upstream, ProviderProtocol.H2C).stream(
                    AnthropicFixtures.hello(), AnthropicFixtures.options(), pieces::append);

            // then
            assertThat(pieces.toString()).isEqualTo(answer.text()).isNotBlank();
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void a_stream_falls_back_to_http1_when_the_tls_endpoint_offers_only_that() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsHttp1Only()) {
            upstream.answer("text/event-stream", AnthropicFixtures.read("stream.sse"));

            // when
            ModelResponse.Chat answer = clientOf(upstream, ProviderProtocol.AUTO).stream(
                    AnthropicFixtures.hello(), AnthropicFixtures.options(), piece -> {});

            // then
            assertThat(answer.text()).isNotBlank();
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void an_interrupted_stream_over_h2_resets_its_stream() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsOfferingH2()) {
            AnthropicModelClient client = clientOf(upstream, ProviderProtocol.AUTO);
            String start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + AnthropicFixtures.MODEL
                    + "\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n";
            String delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"la \"}}\n\n";
            H2Upstream.EndlessStream endless = upstream.answerEndlessly(start, delta);
            CountDownLatch firstPiece = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    client.stream(
                            AnthropicFixtures.hello(), AnthropicFixtures.options(), piece -> firstPiece.countDown());
                    outcome.complete(null);
                } catch (Throwable failure) {
                    outcome.complete(failure);
                }
            });
            assertThat(firstPiece.await(10, TimeUnit.SECONDS)).isTrue();

            // when
            caller.interrupt();

            // then
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ModelException.class);
            IOException seen = endless.endedBy().get(5, TimeUnit.SECONDS);
            assertThat(seen)
                    .isInstanceOfSatisfying(
                            StreamResetException.class,
                            reset -> assertThat(reset.errorCode).isEqualTo(ErrorCode.CANCEL));
            RecordedRequest cancelled = upstream.takeRequest();
            assertThat(cancelled.getVersion()).isEqualTo("HTTP/2");
        }
    }

    private static final String DELTA =
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"la \"}}\n\n";

    static Stream<Arguments> http2UpstreamsAndCallKinds() {
        return Stream.of(true, false).flatMap(alpn -> Stream.of(Arguments.of(alpn, false), Arguments.of(alpn, true)));
    }

    @ParameterizedTest(name = "ALPN h2 (else h2c): {0}, streaming: {1}")
    @MethodSource("http2UpstreamsAndCallKinds")
    void a_call_whose_timeout_fires_before_the_response_headers_resets_its_stream_at_once(
            boolean alpn, boolean streaming) throws Exception {
        // given
        try (H2Upstream upstream = alpn ? H2Upstream.tlsOfferingH2() : H2Upstream.h2c()) {
            AnthropicModelClient client = clientOf(upstream, alpn ? ProviderProtocol.AUTO : ProviderProtocol.H2C);
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(DELTA, DELTA);
            CallOptions shortCall = new CallOptions(AnthropicFixtures.MODEL, Duration.ofMillis(400), "late-call");

            // when
            CallerThread caller = CallerThread.start(() -> {
                if (streaming) {
                    client.stream(AnthropicFixtures.hello(), shortCall, piece -> {});
                } else {
                    client.chat(AnthropicFixtures.hello(), shortCall);
                }
            });

            // then
            await().atMost(Duration.ofSeconds(2)).until(caller::ended);
            assertThat(caller.failure())
                    .get()
                    .isInstanceOfSatisfying(
                            ModelException.class, e -> assertThat(e.error()).isInstanceOf(ModelError.Timeout.class));
            await().atMost(Duration.ofSeconds(1)).until(() -> upstream.resetsReceived() == 1);
            late.release();
            assertThat(late.endedBy().get(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            StreamResetException.class,
                            reset -> assertThat(reset.errorCode).isEqualTo(ErrorCode.CANCEL));
        }
    }

    @Test
    void an_interrupted_message_waiting_for_its_response_headers_over_h2c_resets_its_stream() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.h2c()) {
            AnthropicModelClient client = clientOf(upstream, ProviderProtocol.H2C);
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(DELTA, DELTA);
            CallerThread caller =
                    CallerThread.start(() -> client.chat(AnthropicFixtures.hello(), AnthropicFixtures.options()));
            RecordedRequest cancelled = upstream.takeRequest();

            // when
            caller.interrupt();

            // then
            await().atMost(Duration.ofSeconds(1)).until(caller::ended);
            assertThat(caller.failure()).get().isInstanceOf(ModelException.class);
            await().atMost(Duration.ofSeconds(1)).until(() -> upstream.resetsReceived() == 1);
            late.release();
            assertThat(late.endedBy().get(5, TimeUnit.SECONDS)).isInstanceOf(StreamResetException.class);
            upstream.answer("application/json", AnthropicFixtures.read("message.json"));
            assertThat(client.chat(AnthropicFixtures.hello(), AnthropicFixtures.options())
                            .text())
                    .isNotBlank();
            assertThat(upstream.takeRequest().getConnectionIndex()).isEqualTo(cancelled.getConnectionIndex());
        }
    }

    @Test
    void over_http1_an_interrupted_message_waiting_for_its_response_headers_closes_its_connection() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.plainHttp1()) {
            AnthropicModelClient client = clientOf(upstream, ProviderProtocol.AUTO);
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(DELTA, DELTA);
            CallerThread caller =
                    CallerThread.start(() -> client.chat(AnthropicFixtures.hello(), AnthropicFixtures.options()));
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/1.1");

            // when
            caller.interrupt();

            // then
            await().atMost(Duration.ofSeconds(1)).until(caller::ended);
            assertThat(caller.failure()).get().isInstanceOf(ModelException.class);
            late.release();
            assertThat(late.endedBy().get(5, TimeUnit.SECONDS))
                    .isNotInstanceOf(StreamResetException.class)
                    .isInstanceOf(IOException.class);
        }
    }
}
