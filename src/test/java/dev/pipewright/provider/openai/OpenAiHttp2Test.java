package dev.pipewright.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.ProviderProtocol;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.testing.CallerThread;
import dev.pipewright.testing.H2Upstream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP/2 where offered: h2 by ALPN over TLS, h2c with prior knowledge, HTTP/1.1 otherwise; aborts reset the stream. */
class OpenAiHttp2Test {
    private static final ModelRequest.Chat HELLO = ModelRequest.Chat.of(ChatMessage.user("Hello?"));
    private static final CallOptions OPTIONS = new CallOptions("gpt-4o-mini", Duration.ofSeconds(10), "h2-call");

    private static OpenAiModelClient clientOf(H2Upstream upstream, ProviderProtocol protocol) {
        ProviderConfig provider = new ProviderConfig(
                        "openai",
                        ProviderKind.OPENAI,
                        Optional.of("OPENAI_API_KEY"),
                        Optional.of(upstream.baseUrl("/v1")))
                .withProtocol(protocol);
        return new OpenAiModelClient(provider, name -> Optional.of("sk-test-h2"), Clock.system(), upstream.tls());
    }

    @Test
    void a_tls_endpoint_that_offers_h2_is_spoken_to_over_http2() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsOfferingH2()) {
            upstream.answer("application/json", Fixtures.read("chat-completion.json"));

            // when
            ModelResponse.Chat answer =
                    clientOf(upstream, ProviderProtocol.AUTO).chat(HELLO, OPTIONS);

            // then
            assertThat(answer.text()).isNotBlank();
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/2");
        }
    }

    @Test
    void a_tls_endpoint_that_offers_only_http1_is_spoken_to_over_http1() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsHttp1Only()) {
            upstream.answer("text/event-stream", Fixtures.read("chat-stream.txt"));
            StringBuilder pieces = new StringBuilder();

            // when
            ModelResponse.Chat answer =
                    clientOf(upstream, ProviderProtocol.AUTO).stream(HELLO, OPTIONS, pieces::append);

            // then
            assertThat(pieces.toString()).isEqualTo(answer.text()).isNotBlank();
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void h2c_streams_over_http2_with_prior_knowledge_and_reuses_the_connection() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.h2c()) {
            OpenAiModelClient client = clientOf(upstream, ProviderProtocol.H2C);
            upstream.answer("text/event-stream", Fixtures.read("chat-stream.txt"));
            upstream.answer("application/json", Fixtures.read("chat-completion.json"));
            StringBuilder pieces = new StringBuilder();

            // when
            ModelResponse.Chat streamed = client.stream(HELLO, OPTIONS, pieces::append);
            ModelResponse.Chat whole = client.chat(HELLO, OPTIONS);

            // then
            assertThat(pieces.toString()).isEqualTo(streamed.text()).isNotBlank();
            assertThat(whole.text()).isNotBlank();
            RecordedRequest first = upstream.takeRequest();
            RecordedRequest second = upstream.takeRequest();
            assertThat(List.of(first.getVersion(), second.getVersion())).containsOnly("HTTP/2");
            assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
        }
    }

    @Test
    void auto_speaks_http1_to_a_plain_http_endpoint() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.plainHttp1()) {
            upstream.answer("application/json", Fixtures.read("chat-completion.json"));

            // when
            clientOf(upstream, ProviderProtocol.AUTO).chat(HELLO, OPTIONS);

            // then
            assertThat(upstream.takeRequest().getVersion()).isEqualTo("HTTP/1.1");
        }
    }

    @Test
    void an_interrupted_stream_over_h2_resets_its_stream_and_leaves_the_connection_for_the_next_call()
            throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.tlsOfferingH2()) {
            OpenAiModelClient client = clientOf(upstream, ProviderProtocol.AUTO);
            String chunk =
                    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"la \"},\"finish_reason\":null}]}\n\n";
            H2Upstream.EndlessStream endless = upstream.answerEndlessly(chunk, chunk);
            CountDownLatch firstPiece = new CountDownLatch(1);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    client.stream(HELLO, OPTIONS, piece -> firstPiece.countDown());
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
            upstream.answer("application/json", Fixtures.read("chat-completion.json"));
            assertThat(client.chat(HELLO, OPTIONS).text()).isNotBlank();
            RecordedRequest cancelled = upstream.takeRequest();
            RecordedRequest next = upstream.takeRequest();
            assertThat(next.getConnectionIndex()).isEqualTo(cancelled.getConnectionIndex());
        }
    }

    private static final String CHUNK =
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"la \"},\"finish_reason\":null}]}\n\n";

    /** The two ways to speak HTTP/2 to an upstream. */
    enum Http2Upstream {
        ALPN_H2,
        H2C;

        H2Upstream start() throws IOException {
            return this == ALPN_H2 ? H2Upstream.tlsOfferingH2() : H2Upstream.h2c();
        }

        ProviderProtocol protocol() {
            return this == ALPN_H2 ? ProviderProtocol.AUTO : ProviderProtocol.H2C;
        }
    }

    static Stream<Arguments> http2UpstreamsAndCallKinds() {
        return Stream.of(Http2Upstream.values())
                .flatMap(upstream -> Stream.of(Arguments.of(upstream, false), Arguments.of(upstream, true)));
    }

    @ParameterizedTest(name = "{0}, streaming: {1}")
    @MethodSource("http2UpstreamsAndCallKinds")
    void a_call_whose_timeout_fires_before_the_response_headers_resets_its_stream_at_once(
            Http2Upstream kind, boolean streaming) throws Exception {
        // given
        try (H2Upstream upstream = kind.start()) {
            OpenAiModelClient client = clientOf(upstream, kind.protocol());
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(CHUNK, CHUNK);
            CallOptions shortCall = new CallOptions("gpt-4o-mini", Duration.ofMillis(400), "late-call");

            // when
            CallerThread caller = CallerThread.start(() -> {
                if (streaming) {
                    client.stream(HELLO, shortCall, piece -> {});
                } else {
                    client.chat(HELLO, shortCall);
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

    @ParameterizedTest
    @EnumSource(Http2Upstream.class)
    void an_interrupted_call_waiting_for_its_response_headers_resets_its_stream_and_keeps_the_connection(
            Http2Upstream kind) throws Exception {
        // given
        try (H2Upstream upstream = kind.start()) {
            OpenAiModelClient client = clientOf(upstream, kind.protocol());
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(CHUNK, CHUNK);
            CallerThread caller = CallerThread.start(() -> client.stream(HELLO, OPTIONS, piece -> {}));
            RecordedRequest cancelled = upstream.takeRequest();

            // when
            caller.interrupt();

            // then
            await().atMost(Duration.ofSeconds(1)).until(caller::ended);
            assertThat(caller.failure()).get().isInstanceOf(ModelException.class);
            await().atMost(Duration.ofSeconds(1)).until(() -> upstream.resetsReceived() == 1);
            late.release();
            assertThat(late.endedBy().get(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            StreamResetException.class,
                            reset -> assertThat(reset.errorCode).isEqualTo(ErrorCode.CANCEL));
            upstream.answer("application/json", Fixtures.read("chat-completion.json"));
            assertThat(client.chat(HELLO, OPTIONS).text()).isNotBlank();
            assertThat(upstream.takeRequest().getConnectionIndex()).isEqualTo(cancelled.getConnectionIndex());
        }
    }

    @Test
    void over_http1_an_interrupted_call_waiting_for_its_response_headers_closes_its_connection() throws Exception {
        // given
        try (H2Upstream upstream = H2Upstream.plainHttp1()) {
            OpenAiModelClient client = clientOf(upstream, ProviderProtocol.AUTO);
            H2Upstream.LateAnswer late = upstream.answerEndlesslyOnRelease(CHUNK, CHUNK);
            CallerThread caller = CallerThread.start(() -> client.stream(HELLO, OPTIONS, piece -> {}));
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
