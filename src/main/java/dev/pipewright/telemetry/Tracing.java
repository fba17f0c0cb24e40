package dev.pipewright.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The process's tracer. Tracing is on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set (and {@code OTEL_SDK_DISABLED} is not {@code true}); the SDK is
 * then configured from the standard {@code OTEL_*} variables (headers, sampler, resource attributes, timeouts...),
 * with these defaults: OTLP over HTTP/protobuf (the only protocol this build ships a sender for), service name
 * {@code pipewright}, W3C trace context, and no OpenTelemetry metrics or logs (metrics go to Prometheus, logs to
 * stderr). Otherwise every span is a no-op that costs next to nothing. Context propagates as W3C
 * {@code traceparent} either way, so a caller's trace id still reaches the logs.
 */
public final class Tracing implements AutoCloseable {
    static final String INSTRUMENTATION = "dev.pipewright";

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "pipewright",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.traces.exporter", "otlp",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.propagators", "tracecontext");

    private final OpenTelemetry openTelemetry;
    private final Optional<OpenTelemetrySdk> sdk;

    private Tracing(OpenTelemetry openTelemetry, Optional<OpenTelemetrySdk> sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
    }

    /** Tracing as the {@code OTEL_*} variables of {@code env} configure it. */
    public static Tracing fromEnvironment(Map<String, String> env) {
        boolean disabled = "true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", ""));
        boolean endpoint = !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
        if (disabled || !endpoint) {
            return off();
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .addPropertiesCustomizer(ignored -> properties(env))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk, Optional.of(sdk));
    }

    /** Spans are exported one by one, as they end, to {@code exporter}: for tests with an in-memory exporter. */
    public static Tracing exportingTo(SpanExporter exporter) {
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "pipewright"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(propagators())
                .build();
        return new Tracing(sdk, Optional.of(sdk));
    }

    /** No spans are recorded; W3C trace context still propagates. */
    public static Tracing off() {
        return new Tracing(OpenTelemetry.propagating(propagators()), Optional.empty());
    }

    /** The {@code OTEL_*} variables as the SDK's property names: {@code OTEL_SERVICE_NAME} → {@code otel.service.name}. */
    private static Map<String, String> properties(Map<String, String> env) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
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
        return sdk.isPresent();
    }

    /** Exports the spans still buffered and stops the exporter. */
    @Override
    public void close() {
        sdk.ifPresent(OpenTelemetrySdk::close);
    }
}
