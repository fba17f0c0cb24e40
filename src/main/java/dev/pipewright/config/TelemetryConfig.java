package dev.pipewright.config;

/**
 * What the process records about itself beyond traces (which the standard {@code OTEL_*} variables configure):
 * {@code telemetry.metrics} turns the Prometheus meters off (every meter becomes a no-op and {@code GET /metrics}
 * answers an empty page), for instance to measure what observing costs; {@code logging.content} puts the prompt
 * and the completion text on each model-call log line, which is off by default because they may hold personal data.
 */
public record TelemetryConfig(boolean metrics, boolean logContent) {
    public static final TelemetryConfig DEFAULT = new TelemetryConfig(true, false);
}
