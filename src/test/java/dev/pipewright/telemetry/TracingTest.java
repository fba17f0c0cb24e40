package dev.pipewright.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void tracing_is_off_unless_an_otlp_endpoint_is_configured() {
        try (Tracing unset = Tracing.fromEnvironment(Map.of());
                Tracing disabled = Tracing.fromEnvironment(
                        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318", "OTEL_SDK_DISABLED", "true"));
                Tracing on = Tracing.fromEnvironment(Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                        "OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                        "OTEL_TRACES_SAMPLER_ARG", "0.25"))) {
            assertThat(unset.enabled()).isFalse();
            assertThat(disabled.enabled()).isFalse();
            assertThat(on.enabled()).isTrue();
            assertThat(on.openTelemetry().toString()).contains("TraceIdRatioBased{0.250000}");
        }
    }

    @Test
    void a_stored_traceparent_continues_the_trace_after_an_asynchronous_hop() {
        // given: a submitter stores the traceparent of its span with the job
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (Tracing tracing = Tracing.exportingTo(exporter)) {
            Span submit = tracing.tracer().spanBuilder("submit").startSpan();
            String stored;
            try (Scope ignored = submit.makeCurrent()) {
                stored = TraceParents.current().orElseThrow();
            } finally {
                submit.end();
            }

            // when: a worker restores it and works under it
            tracing.tracer()
                    .spanBuilder("work")
                    .setParent(TraceParents.context(stored))
                    .startSpan()
                    .end();

            // then
            SpanData submitted = exporter.getFinishedSpanItems().get(0);
            SpanData work = exporter.getFinishedSpanItems().get(1);
            assertThat(work.getTraceId()).isEqualTo(submitted.getTraceId());
            assertThat(work.getParentSpanId()).isEqualTo(submitted.getSpanId());
        }
    }

    @Test
    void with_tracing_off_the_callers_trace_id_still_reaches_the_logs() {
        // given
        try (Tracing off = Tracing.off()) {
            Span span = off.tracer()
                    .spanBuilder("request")
                    .setParent(TraceParents.context(TRACEPARENT))
                    .startSpan();

            // when
            try (Scope ignored = span.makeCurrent()) {
                // then
                assertThat(TraceParents.currentTraceId()).hasValue("4bf92f3577b34da6a3ce929d0e0e4736");
            }
        }
    }

    @Test
    void a_malformed_traceparent_starts_no_trace() {
        assertThat(TraceParents.of(TraceParents.context("00-not-a-trace"))).isEmpty();
        assertThat(TraceParents.of(Context.root())).isEmpty();
    }
}
