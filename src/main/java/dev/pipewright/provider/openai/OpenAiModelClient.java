package dev.pipewright.provider.openai;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.ProviderProtocol;
import dev.pipewright.model.Bodies;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.provider.UpstreamCall;
import dev.pipewright.provider.UpstreamClient;
import dev.pipewright.provider.openai.internal.ChatDelta;
import dev.pipewright.provider.openai.internal.ChatStream;
import dev.pipewright.provider.openai.internal.OpenAiFailures;
import dev.pipewright.provider.openai.internal.OpenAiWire;
import dev.pipewright.provider.openai.internal.ServerSentEvents;
import dev.pipewright.provider.openai.internal.UpstreamExchange;
import dev.pipewright.telemetry.TraceParents;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * OpenAI's Chat Completions and Embeddings APIs, and every server that speaks them (vLLM, Ollama, llama.cpp, LM
 * Studio) through {@code base_url}. One attempt per call, on one Helidon WebClient whose connections are kept alive and
 * reused across calls; each call runs as an {@link UpstreamExchange}, so a timeout or an interrupted caller
 * aborts the upstream request. Thread safe.
 *
 * <p>HTTP/2 where offered: over TLS the client offers h2 and HTTP/1.1 by ALPN and speaks what the server picks;
 * {@code http: h2c} speaks HTTP/2 with prior knowledge to a plain-TCP server, {@code http: http1} pins HTTP/1.1 (see
 * {@link ProviderProtocol}). An abort, before or after the response headers, resets the call's stream over HTTP/2
 * (RST_STREAM) and leaves the shared connection to the calls beside it; over HTTP/1.1 it closes the call's connection.
 * Either way the server sees the request go away (the cancellation tests prove it from the server's side).
 *
 * <p>Wire choices: the output limit goes out as {@code max_completion_tokens} to OpenAI itself (its current name,
 * the only one its reasoning models take) and as {@code max_tokens} to any other base URL (the name every compatible
 * server reads). Embeddings are asked for as base64, four bytes per float instead of up to a dozen digits, as the
 * official SDKs do. {@code Idempotency-Key} carries the call's key: OpenAI ignores it, proxies in front of compatible
 * servers may deduplicate on it, and it lets a retried call be found in upstream logs.
 */
public final class OpenAiModelClient implements ModelClient {
    /** Where OpenAI's API lives when the provider names no {@code base_url}. */
    public static final URI OPENAI_BASE_URL = URI.create("https://api.openai.com/v1");

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How much longer than the call's timeout a socket read may block. The caller's wait is what bounds a call and
     * aborting is what ends it; the socket timeout only ends a worker whose abort did not reach it.
     */
    private static final Duration SOCKET_BACKSTOP = Duration.ofSeconds(5);

    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final String name;
    private final String baseUrl;
    private final Optional<String> apiKey;
    private final Optional<String> missingKey;
    private final OpenAiWire.MaxTokensField maxTokensField;
    private final OpenAiFailures failures;
    private final Clock clock;
    private final UpstreamClient http;

    /**
     * A client for {@code provider}, whose key is read once from {@code environment} by the name the config gives.
     * Without a key, calls to OpenAI itself fail as {@link ModelError.AuthFailed} (the service still starts, so its
     * fallbacks can answer); a server at a configured {@code base_url} is called without an Authorization header.
     */
    public OpenAiModelClient(ProviderConfig provider, Function<String, Optional<String>> environment, Clock clock) {
        this(provider, environment, clock, Optional.empty());
    }

    /** As above, trusting what {@code tls} trusts instead of the JVM's certificates when it is present. */
    public OpenAiModelClient(
            ProviderConfig provider, Function<String, Optional<String>> environment, Clock clock, Optional<Tls> tls) {
        if (provider.kind() != ProviderKind.OPENAI) {
            throw new IllegalArgumentException(
                    "provider " + provider.name() + " is of kind " + provider.kind() + ", not openai");
        }
        this.name = provider.name();
        URI base = provider.baseUrl().orElse(OPENAI_BASE_URL);
        this.baseUrl = base.toString().replaceAll("/+$", "");
        this.apiKey =
                provider.apiKeyEnv().flatMap(environment).map(String::strip).filter(key -> !key.isEmpty());
        this.missingKey = apiKey.isPresent() || provider.baseUrl().isPresent()
                ? Optional.empty()
                : Optional.of(provider.apiKeyEnv()
                        .map(variable -> "the environment variable " + variable + " that holds its key is not set")
                        .orElse("it names no api_key_env and no base_url"));
        this.maxTokensField = OPENAI_BASE_URL.getHost().equalsIgnoreCase(base.getHost())
                ? OpenAiWire.MaxTokensField.MAX_COMPLETION_TOKENS
                : OpenAiWire.MaxTokensField.MAX_TOKENS;
        this.failures = new OpenAiFailures(name, apiKey, clock);
        this.clock = clock;
        this.http = UpstreamClient.build(provider.http(), base, tls, CONNECT_TIMEOUT);
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        byte[] body = OpenAiWire.chatRequest(request, options.model(), false, maxTokensField);
        Answer<ModelResponse.Chat> answer =
                (response, exchange) -> OpenAiWire.chatResponse(OpenAiWire.parse(body(response)), options.model());
        return call("/chat/completions", body, options, false, answer, delta -> {});
    }

    @Override
    public void close() {
        http.close();
    }

    private static byte[] body(HttpClientResponse response) throws IOException {
        return Bodies.read(response.inputStream(), response.headers().contentLength(), Integer.MAX_VALUE);
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        byte[] body = OpenAiWire.embeddingRequest(request, options.model());
        int inputs = request.inputs().size();
        Answer<ModelResponse.Embedding> answer = (response, exchange) ->
                OpenAiWire.embeddingResponse(OpenAiWire.parse(body(response)), options.model(), inputs);
        return call("/embeddings", body, options, false, answer, delta -> {});
    }

    @Override
    public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
        byte[] body = OpenAiWire.chatRequest(request, options.model(), true, maxTokensField);
        Answer<ModelResponse.Chat> answer = (response, exchange) -> {
            ChatStream stream = new ChatStream(options.model(), failures);
            ServerSentEvents reader = new ServerSentEvents(response.inputStream());
            Optional<String> data = reader.next();
            while (data.isPresent()) {
                exchange.piece(stream.accept(data.get()));
                if (stream.done()) {
                    break;
                }
                data = reader.next();
            }
            ModelResponse.Chat chat = stream.answer();
            drain(reader);
            return chat;
        };
        return call("/chat/completions", body, options, true, answer, delta -> {
            if (!delta.text().isEmpty()) {
                listener.onText(delta.text());
            }
            delta.toolCalls().forEach(listener::onToolCall);
        });
    }

    /**
     * Reads the body to its end after [DONE] (in a well-formed stream only the end of the body follows), so that the
     * connection goes back to the pool before the caller's next call. The answer is complete by then: a connection
     * that fails now is only not reused.
     */
    private static void drain(ServerSentEvents reader) {
        try {
            Optional<String> trailing = reader.next();
            while (trailing.isPresent()) {
                trailing = reader.next();
            }
        } catch (IOException | UncheckedIOException e) {
            // The answer is complete; this connection is closed instead of reused.
        }
    }

    /** What to do with a successful (2xx) response; runs on the thread that makes the call. */
    @FunctionalInterface
    private interface Answer<T> {
        T read(HttpClientResponse response, UpstreamExchange<T> exchange) throws IOException;
    }

    /**
     * Makes one call and waits for it on the calling thread: the whole call within {@code options.timeout()}, and
     * for a stream the first content and every gap between chunks within their own bounds. A virtual thread whose
     * call goes out on an HTTP/1.1 connection of its own makes the call itself; any other caller waits for a worker
     * (see {@link UpstreamExchange}).
     */
    private <T> T call(
            String path,
            byte[] body,
            CallOptions options,
            boolean stream,
            Answer<T> answer,
            Consumer<ChatDelta> pieces) {
        if (missingKey.isPresent()) {
            throw new ModelException(
                    new ModelError.AuthFailed("provider " + name + " cannot be called: " + missingKey.get()));
        }
        String description = name + " (" + options.model() + ")";
        UpstreamCall call = http.call(post(path, options, stream));
        UpstreamExchange.Work<T> work = exchange -> {
            try (HttpClientResponse response = call.submit(body)) {
                int status = response.status().code();
                if (status < 200 || status > 299) {
                    byte[] error = response.inputStream().readNBytes(MAX_ERROR_BODY_BYTES);
                    throw new ModelException(failures.fromStatus(
                            options.model(),
                            status,
                            error,
                            header -> response.headers().first(HeaderNames.create(header))));
                }
                return answer.read(response, exchange);
            }
        };
        UpstreamExchange.Bounds bounds = new UpstreamExchange.Bounds(
                options.timeout(),
                stream ? options.firstTokenTimeout() : options.timeout(),
                stream ? options.idleTimeout() : options.timeout());
        if (!http.speaksOnlyHttp1() || !Thread.currentThread().isVirtual()) {
            return UpstreamExchange.start(description, options.model(), failures, call, work)
                    .await(bounds, pieces, clock);
        }
        return UpstreamExchange.runHere(description, options.model(), failures, call, work, bounds, pieces, clock);
    }

    private HttpClientRequest post(String path, CallOptions options, boolean stream) {
        Optional<String> traceparent = TraceParents.current();
        return http.post(baseUrl + path)
                .readTimeout(options.timeout().plus(SOCKET_BACKSTOP))
                .headers(headers -> {
                    headers.contentType(MediaTypes.APPLICATION_JSON);
                    headers.set(HeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
                    headers.set(HeaderNames.USER_AGENT, "pipewright");
                    headers.set(HeaderNames.create("Idempotency-Key"), options.idempotencyKey());
                    apiKey.ifPresent(key -> headers.set(HeaderNames.AUTHORIZATION, "Bearer " + key));
                    traceparent.ifPresent(value -> headers.set(HeaderNames.create(TraceParents.HEADER), value));
                });
    }
}
