package dev.pipewright.telemetry;

import dev.pipewright.model.Alarms;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends OTLP/HTTP export requests (traces) with Helidon's WebClient, the client the providers' calls already use: one
 * blocking POST per export, its body written straight from the exporter's marshaler to the socket, on a platform
 * thread of its own. Not on a virtual thread: marshalling a batch is a millisecond of CPU that would hold one of the
 * few carrier threads the requests' virtual threads share, where the operating system schedules a platform thread
 * beside them.
 * It replaces the JDK {@code HttpClient} sender, whose asynchronous machinery (a selector thread, worker threads and a
 * body publisher that hands the message over in pieces) cost the gateway as much CPU as marshalling the spans did.
 *
 * <p>It honours what the exporter's configuration asks for: the endpoint, content type, headers (read anew for each
 * export), compression, timeouts, proxy, TLS, and the retry policy: 429, 502, 503 and 504 answers, and connections that
 * fail, are tried again after an exponential backoff with jitter, waited on a timer rather than a sleeping thread.
 *
 * <p>Thread safety: exports may be sent from any thread, concurrently.
 */
final class OtlpHttpSender implements HttpSender {
    private static final List<Integer> RETRYABLE_STATUSES = List.of(429, 502, 503, 504);

    private final HttpSenderConfig config;
    private final WebClient client;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final ScheduledExecutorService backoff;
    private final Optional<RetryPolicy> retry;

    OtlpHttpSender(HttpSenderConfig config) {
        this.config = config;
        this.client = client(config);
        this.ownsExecutor = config.getExecutorService() == null;
        this.executor = ownsExecutor
                ? Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().daemon().name("otlp-export").factory())
                : config.getExecutorService();
        this.retry = Optional.ofNullable(config.getRetryPolicy());
        this.backoff = Alarms.newTimer("otlp-backoff");
    }

    private static WebClient client(HttpSenderConfig config) {
        WebClientConfig.Builder builder = WebClient.builder()
                .socketOptions(options -> options.tcpNoDelay(true))
                .connectTimeout(config.getConnectTimeout())
                .readTimeout(config.getTimeout())
                .followRedirects(false)
                .keepAlive(true)
                .protocolPreference(List.of("http/1.1"))
                .proxy(proxy(config));
        if (config.getSslContext() != null) {
            builder.tls(Tls.builder().sslContext(config.getSslContext()).build());
        }
        return builder.build();
    }

    /** The proxy the configuration's selector picks for the endpoint, or none. */
    private static Proxy proxy(HttpSenderConfig config) {
        if (config.getProxyOptions() == null) {
            return Proxy.noProxy();
        }
        return config.getProxyOptions().getProxySelector().select(config.getEndpoint()).stream()
                .filter(candidate -> candidate.type() == java.net.Proxy.Type.HTTP)
                .map(java.net.Proxy::address)
                .filter(InetSocketAddress.class::isInstance)
                .map(InetSocketAddress.class::cast)
                .findFirst()
                .map(address -> Proxy.builder()
                        .type(Proxy.ProxyType.HTTP)
                        .host(address.getHostString())
                        .port(address.getPort())
                        .build())
                .orElseGet(Proxy::noProxy);
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        executor.execute(() -> attempt(message, onResponse, onError, 1));
    }

    private void attempt(
            MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError, int attempt) {
        try {
            Answer answer = post(message);
            if (RETRYABLE_STATUSES.contains(answer.getStatusCode())
                    && retryAfter(message, onResponse, onError, attempt)) {
                return;
            }
            onResponse.accept(answer);
        } catch (IOException | UncheckedIOException e) {
            IOException failure = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
            boolean retryable = retry.map(policy -> policy.getRetryExceptionPredicate() == null
                            || policy.getRetryExceptionPredicate().test(failure))
                    .orElse(false);
            if (!retryable || !retryAfter(message, onResponse, onError, attempt)) {
                onError.accept(failure);
            }
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    /** Schedules the next attempt when the policy allows one; returns whether it did. */
    private boolean retryAfter(
            MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError, int attempt) {
        if (retry.isEmpty() || attempt >= retry.get().getMaxAttempts()) {
            return false;
        }
        long delay = ThreadLocalRandom.current().nextLong(backoffNanos(retry.get(), attempt) + 1);
        backoff.schedule(
                () -> executor.execute(() -> attempt(message, onResponse, onError, attempt + 1)),
                delay,
                TimeUnit.NANOSECONDS);
        return true;
    }

    /** The longest wait before attempt {@code attempt + 1}: the initial backoff grown by the multiplier, capped. */
    static long backoffNanos(RetryPolicy policy, int attempt) {
        double grown = policy.getInitialBackoff().toNanos() * Math.pow(policy.getBackoffMultiplier(), attempt - 1);
        return (long) Math.min(grown, policy.getMaxBackoff().toNanos());
    }

    private Answer post(MessageWriter message) throws IOException {
        HttpClientRequest request = client.post().uri(config.getEndpoint());
        request.header(HeaderNames.CONTENT_TYPE, config.getContentType());
        Map<String, List<String>> headers = config.getHeadersSupplier().get();
        if (headers != null) {
            headers.forEach((name, values) -> request.header(HeaderNames.create(name), values));
        }
        Compressor compressor = config.getCompressor();
        HttpClientResponse response;
        if (compressor == null) {
            request.header(HeaderNames.CONTENT_LENGTH, Integer.toString(message.getContentLength()));
            response = request.outputStream(out -> {
                message.writeMessage(out);
                out.close();
            });
        } else {
            request.header(HeaderNames.CONTENT_ENCODING, compressor.getEncoding());
            response = request.submit(compressed(message, compressor));
        }
        try (response) {
            long limit = config.getMaxResponseBodySize();
            byte[] body = response.inputStream().readNBytes((int) Math.min(limit, Integer.MAX_VALUE));
            return new Answer(response.status().code(), response.status().reasonPhrase(), body);
        }
    }

    private static byte[] compressed(MessageWriter message, Compressor compressor) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.getContentLength() / 4 + 64);
        try (OutputStream out = compressor.compress(bytes)) {
            message.writeMessage(out);
        }
        return bytes.toByteArray();
    }

    @Override
    public CompletableResultCode shutdown() {
        backoff.shutdownNow();
        if (ownsExecutor) {
            executor.shutdown();
        }
        client.closeResource();
        return CompletableResultCode.ofSuccess();
    }

    /** The collector's answer to one export. */
    private record Answer(int status, String reason, byte[] body) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getStatusMessage() {
            return reason;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
