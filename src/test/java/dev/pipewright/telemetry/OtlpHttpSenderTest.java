package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spans reach an OTLP/HTTP collector through the Helidon sender, as the standard variables configure the export. */
class OtlpHttpSenderTest {
    private static final String SPAN = "probe-span-for-the-collector";

    private MockWebServer collector;

    @BeforeEach
    void start() throws IOException {
        collector = new MockWebServer();
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    /** Ends one span named {@link #SPAN} and closes tracing, which exports it before it returns. */
    private void exportOneSpan(Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url("/").toString());
        try (Tracing tracing = Tracing.fromEnvironment(env)) {
            tracing.tracer().spanBuilder(SPAN).startSpan().end();
        }
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    @Test
    void a_span_is_posted_as_protobuf_to_the_traces_path_with_the_configured_headers() throws Exception {
        // given
        collector.enqueue(status(200));

        // when
        exportOneSpan(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "x-collector-tenant=acme"));

        // then
        RecordedRequest export = collector.takeRequest(5, TimeUnit.SECONDS);
        assertThat(export.getMethod()).isEqualTo("POST");
        assertThat(export.getTarget()).isEqualTo("/v1/traces");
        assertThat(export.getHeaders().get("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(export.getHeaders().get("x-collector-tenant")).isEqualTo("acme");
        byte[] body = export.getBody().toByteArray();
        assertThat(export.getHeaders().get("Content-Length")).isEqualTo(Integer.toString(body.length));
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains(SPAN);
    }

    @Test
    void with_gzip_compression_the_body_is_gzipped_and_says_so() throws Exception {
        // given
        collector.enqueue(status(200));

        // when
        exportOneSpan(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"));

        // then
        RecordedRequest export = collector.takeRequest(5, TimeUnit.SECONDS);
        assertThat(export.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
        byte[] body =
                new GZIPInputStream(new ByteArrayInputStream(export.getBody().toByteArray())).readAllBytes();
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).contains(SPAN);
    }

    @Test
    void an_unavailable_collector_is_tried_again_with_the_same_spans() throws Exception {
        // given
        collector.enqueue(status(503));
        collector.enqueue(status(200));

        // when
        exportOneSpan(Map.of());

        // then
        RecordedRequest first = collector.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest second = collector.takeRequest(5, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(collector.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_refused_export_is_not_tried_again() throws Exception {
        // given
        collector.enqueue(status(400));
        collector.enqueue(status(200));

        // when
        exportOneSpan(Map.of());

        // then
        assertThat(collector.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(collector.getRequestCount()).isEqualTo(1);
    }

    @Test
    void the_backoff_grows_by_the_multiplier_up_to_its_cap() {
        // given: the SDK's default policy, 1 s growing by 1.5 up to 5 s
        RetryPolicy policy = RetryPolicy.getDefault();

        // then
        assertThat(OtlpHttpSender.backoffNanos(policy, 1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(OtlpHttpSender.backoffNanos(policy, 2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(OtlpHttpSender.backoffNanos(policy, 3)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2250));
        assertThat(OtlpHttpSender.backoffNanos(policy, 6)).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }
}
