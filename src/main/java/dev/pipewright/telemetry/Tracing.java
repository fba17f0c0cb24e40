package dev.pipewright.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Map;
import java.util.Optional;

/**
 * The process's tracer. Tracing is on when {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL) or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the base URL, to which {@code /v1/traces} is added) is set, and spans go out
 * over OTLP/HTTP in batches; {@code OTEL_SERVICE_NAME} names the service ({@code pipewright} by default) and
 * {@code OTEL_SDK_DISABLED=true} turns tracing off. Otherwise every span is a no-op that costs next to nothing.
 * Context propagates as W3C {@code traceparent} either way, so a caller's trace id still reaches the logs.
 */
public final class Tracing implements AutoCloseable {
    static final String INSTRUMENTATION = "dev.pipewright";

    private final OpenTelemetry openTelemetry;
    private final Optional<SdkTracerProvider> provider;

    private Tracing(OpenTelemetry openTelemetry, Optional<SdkTracerProvider> provider) {
        this.openTelemetry = openTelemetry;
        this.provider = provider;
    }

    /** Tracing as the standard {@code OTEL_*} variables of {@code env} configure it. */
    public static Tracing fromEnvironment(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", ""))) {
            return off();
        }
        Optional<String> endpoint = Optional.ofNullable(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
                .filter(url -> !url.isBlank())
                .or(() -> Optional.ofNullable(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
                        .filter(url -> !url.isBlank())
                        .map(base -> base.replaceAll("/+$", "") + "/v1/traces"));
        if (endpoint.isEmpty()) {
            return off();
        }
        SpanExporter exporter =
                OtlpHttpSpanExporter.builder().setEndpoint(endpoint.get()).build();
        String service = env.getOrDefault("OTEL_SERVICE_NAME", "pipewright");
        return on(BatchSpanProcessor.builder(exporter).build(), service);
    }

    /** Spans are exported one by one, as they end, to {@code exporter}: for tests with an in-memory exporter. */
    public static Tracing exportingTo(SpanExporter exporter) {
        return on(SimpleSpanProcessor.create(exporter), "pipewright");
    }

    /** No spans are recorded; W3C trace context still propagates. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.propagating(propagators()), Optional.empty());
    }

    private static Tracing on(SpanProcessor processor, String service) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(io.opentelemetry.api.common.Attributes.of(
                                AttributeKey.stringKey("service.name"), service))))
                .addSpanProcessor(processor)
                .build();
        OpenTelemetry sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(propagators())
                .build();
        return new Tracing(sdk, Optional.of(provider));
    }

    private static ContextPropagators propagators() {
        return ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    }

    public Tracer tracer() {
        return openTelemetry.getTracer(INSTRUMENTATION);
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Whether spans are recorded and exported. */
    public boolean enabled() {
        return provider.isPresent();
    }

    /** Exports the spans still buffered and stops the exporter. */
    @Override
    public void close() {
        provider.ifPresent(SdkTracerProvider::close);
    }
}
