package dev.pipewright.provider.anthropic;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderProtocol;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.RetryAfterHeader;
import dev.pipewright.model.StreamListener;
import dev.pipewright.provider.UpstreamClient;
import dev.pipewright.provider.anthropic.internal.AnthropicErrors;
import dev.pipewright.provider.anthropic.internal.MessageReply;
import dev.pipewright.provider.anthropic.internal.MessageStream;
import dev.pipewright.provider.anthropic.internal.MessagesRequest;
import dev.pipewright.provider.anthropic.internal.UpstreamExchange;
import dev.pipewright.telemetry.TraceParents;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Claude through Anthropic's Messages API ({@code POST /v1/messages}, JSON and event stream), on one Helidon
 * WebClient per provider so that connections are kept alive and reused across calls.
 *
 * <p>Each call is one attempt bounded by {@link CallOptions#timeout()}; a stream also fails when its first text takes
 * longer than {@link CallOptions#firstTokenTimeout()} or two events lie further apart than
 * {@link CallOptions#idleTimeout()}. A timeout, or an interrupt of the calling thread, aborts the request, so
 * Anthropic sees it go away and nothing keeps running; the interrupt flag stays set. Requests go over HTTP/2 where the
 * server offers it by ALPN, else HTTP/1.1 ({@link ProviderProtocol}); an abort resets the call's HTTP/2 stream
 * (RST_STREAM), whether or not the response headers had arrived, or closes its HTTP/1.1 connection. Redirects are not followed, so the key goes to the configured host only.
 *
 * <p>The key is read once from the environment variable the provider names and sent only as {@code x-api-key}; a
 * provider that names none reads {@link #DEFAULT_API_KEY_ENV}, unless it has a base URL, which config allows without
 * a key for a compatible server that needs none: then no key is sent. A named variable that is not set fails each
 * call with {@link ModelError.AuthFailed} naming the variable, and every error message is cleaned of the key.
 *
 * <p>No idempotency header is sent: the Messages API documents none, and a header it ignores would suggest a
 * deduplication that does not happen. Anthropic has no embeddings API, so {@link #embed} is an invalid request.
 * Thread safe: calls share only the WebClient and its connection pool.
 */
public final class AnthropicModelClient implements ModelClient {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    public static final String DEFAULT_API_KEY_ENV = "ANTHROPIC_API_KEY";
    public static final String API_VERSION = "2023-06-01";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a finished stream waits for its body to end, so that its connection is back in the pool for the next
     * call; a server that holds the body open past the last event costs the caller no more than this.
     */
    private static final Duration END_OF_BODY_WAIT = Duration.ofMillis(250);

    private static final HeaderName API_KEY = HeaderNames.create("x-api-key");
    private static final HeaderName TRACEPARENT = HeaderNames.create(TraceParents.HEADER);
    private static final HeaderName VERSION = HeaderNames.create("anthropic-version");

    private final String providerName;
    private final URI messagesUri;
    private final Optional<String> apiKeyEnv;
    private final Optional<String> apiKey;
    private final AnthropicErrors errors;
    private final Clock clock;
    private final UpstreamClient client;

    public AnthropicModelClient(ProviderConfig provider, Function<String, Optional<String>> environment, Clock clock) {
        this(provider, environment, clock, Optional.empty());
    }

    /** As above, trusting what {@code tls} trusts instead of the JVM's certificates when it is present. */
    public AnthropicModelClient(
            ProviderConfig provider, Function<String, Optional<String>> environment, Clock clock, Optional<Tls> tls) {
        this.providerName = provider.name();
        URI baseUri = provider.baseUrl().orElse(DEFAULT_BASE_URL);
        String base = baseUri.toString();
        this.messagesUri =
                URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/messages");
        this.apiKeyEnv = provider.apiKeyEnv()
                .or(() -> provider.baseUrl().isPresent() ? Optional.empty() : Optional.of(DEFAULT_API_KEY_ENV));
        this.apiKey = apiKeyEnv.flatMap(environment).filter(key -> !key.isBlank());
        this.errors = new AnthropicErrors(apiKey);
        this.clock = Objects.requireNonNull(clock);
        this.client = UpstreamClient.build(provider.http(), baseUri, tls, CONNECT_TIMEOUT);
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        byte[] body = MessagesRequest.body(request, options.model(), false);
        try (UpstreamExchange exchange = UpstreamExchange.start(client.call(post(options, false)), body, false)) {
            UpstreamExchange.Item item = exchange.next(options.timeout())
                    .orElseThrow(() -> timeout(options.model() + " did not answer within " + options.timeout()));
            return switch (item) {
                case UpstreamExchange.Reply reply -> {
                    // The body was read whole, so the connection can serve the next call whatever the status.
                    exchange.release();
                    if (reply.status() != 200) {
                        throw failed(reply);
                    }
                    yield MessageReply.read(reply.body(), options.model(), errors);
                }
                case UpstreamExchange.Broken broken -> throw broken(broken);
                case UpstreamExchange.Event event -> throw new IllegalStateException("a JSON answer has no events");
                case UpstreamExchange.End end -> throw new IllegalStateException("a JSON answer has no end event");
            };
        } catch (InterruptedException e) {
            throw interrupted(options, e);
        }
    }

    @Override
    public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
        byte[] body = MessagesRequest.body(request, options.model(), true);
        try (UpstreamExchange exchange = UpstreamExchange.start(client.call(post(options, true)), body, true)) {
            return follow(exchange, new MessageStream(options.model(), errors), options, listener);
        } catch (InterruptedException e) {
            throw interrupted(options, e);
        }
    }

    /** Reads events until {@code message_stop}, failing on the first limit of {@link StreamLimits} to pass. */
    private ModelResponse.Chat follow(
            UpstreamExchange exchange, MessageStream stream, CallOptions options, StreamListener listener)
            throws InterruptedException {
        StreamLimits limits = new StreamLimits(options, clock.nanoTime());
        while (true) {
            StreamLimits.Wait wait = limits.next(clock.nanoTime());
            UpstreamExchange.Item item = exchange.next(wait.duration()).orElseThrow(() -> timeout(wait.reason()));
            limits.eventAt(clock.nanoTime());
            switch (item) {
                case UpstreamExchange.Event event -> {
                    switch (stream.accept(event.event())) {
                        case MessageStream.Piece.Text text
                        when !text.text().isEmpty() -> {
                            limits.textArrived();
                            listener.onText(text.text());
                        }
                        case MessageStream.Piece.ToolCall call -> {
                            limits.textArrived();
                            listener.onToolCall(call.delta());
                        }
                        default -> {}
                    }
                    if (stream.complete()) {
                        exchange.release(END_OF_BODY_WAIT);
                        return stream.answer();
                    }
                }
                case UpstreamExchange.Reply reply -> {
                    exchange.release();
                    throw failed(reply);
                }
                case UpstreamExchange.Broken broken -> throw broken(broken);
                case UpstreamExchange.End end -> throw new ModelException(errors.streamEndedEarly());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Anthropic has no embeddings API; configs route embeddings to another provider. */
    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        throw new ModelException(new ModelError.InvalidRequest("provider '" + providerName
                + "' is Anthropic, which has no embeddings API, so model '" + options.model() + "' cannot embed"));
    }

    private HttpClientRequest post(CallOptions options, boolean stream) {
        if (apiKeyEnv.isPresent() && apiKey.isEmpty()) {
            throw new ModelException(new ModelError.AuthFailed("provider '" + providerName
                    + "' has no API key: environment variable " + apiKeyEnv.get() + " is not set"));
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new ModelException(new ModelError.Timeout(options.model() + " was interrupted before it was called"));
        }
        HttpClientRequest post = client.post(messagesUri.toString());
        apiKey.ifPresent(key -> post.header(API_KEY, key));
        TraceParents.current().ifPresent(traceparent -> post.header(TRACEPARENT, traceparent));
        return post.header(VERSION, API_VERSION)
                .contentType(MediaTypes.APPLICATION_JSON)
                .accept(stream ? MediaTypes.TEXT_EVENT_STREAM : MediaTypes.APPLICATION_JSON)
                .readTimeout(options.timeout());
    }

    private ModelException failed(UpstreamExchange.Reply reply) {
        Optional<Duration> retryAfter =
                reply.retryAfter().flatMap(value -> RetryAfterHeader.parse(value, clock.instant()));
        return new ModelException(errors.fromResponse(reply.status(), reply.body(), retryAfter));
    }

    private ModelException broken(UpstreamExchange.Broken broken) {
        return new ModelException(errors.fromTransport(broken.failure()), broken.failure());
    }

    private static ModelException timeout(String message) {
        return new ModelException(new ModelError.Timeout(message));
    }

    private static ModelException interrupted(CallOptions options, InterruptedException cause) {
        Thread.currentThread().interrupt();
        return new ModelException(
                new ModelError.Timeout(options.model() + " was interrupted before it answered"), cause);
    }
}
