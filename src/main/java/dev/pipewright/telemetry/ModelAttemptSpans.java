package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Objects;

/**
 * The tracing link of each attempt, innermost beside {@link ModelAttemptMetrics}: one client span per attempt at a
 * provider, a child of the span current on the calling thread (the pipeline step's), named and described after the
 * OpenTelemetry GenAI semantic conventions. Prompts and answers are never recorded. Thread safe.
 */
public final class ModelAttemptSpans implements ModelInterceptor {
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> ALIAS = AttributeKey.stringKey("pipewright.model");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("pipewright.attempt");

    private final Tracer tracer;

    public ModelAttemptSpans(Tracer tracer) {
        this.tracer = Objects.requireNonNull(tracer);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        ModelConfig model = invocation.model();
        String operation = invocation.request() instanceof ModelRequest.Embedding ? "embeddings" : "chat";
        Span span = tracer.spanBuilder(operation + " " + model.model())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(SYSTEM, model.provider())
                .setAttribute(OPERATION, operation)
                .setAttribute(REQUEST_MODEL, model.model())
                .setAttribute(ALIAS, model.alias())
                .setAttribute(ATTEMPT, (long) invocation.attempt())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            ModelResponse response = chain.proceed(invocation);
            span.setAttribute(RESPONSE_MODEL, response.model());
            span.setAttribute(INPUT_TOKENS, response.usage().inputTokens());
            span.setAttribute(OUTPUT_TOKENS, response.usage().outputTokens());
            return response;
        } catch (ModelException e) {
            span.setAttribute(ERROR_TYPE, e.error().kind());
            span.setStatus(StatusCode.ERROR, e.error().kind());
            throw e;
        } finally {
            span.end();
        }
    }
}
