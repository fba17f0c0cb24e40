package dev.pipewright.telemetry;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * Hands the OTLP/HTTP exporters an {@link OtlpHttpSender}; the SDK finds it through {@code META-INF/services}, as the
 * only sender on the class path.
 */
public final class OtlpHttpSenderProvider implements HttpSenderProvider {
    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        return new OtlpHttpSender(config);
    }
}
