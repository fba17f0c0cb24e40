package dev.pipewright.gateway;

import dev.pipewright.model.Clock;
import dev.pipewright.telemetry.AccessLog;
import dev.pipewright.telemetry.GatewayMetrics;
import dev.pipewright.telemetry.LogContext;
import dev.pipewright.telemetry.ModelTimeAccounts;
import dev.pipewright.telemetry.Telemetry;
import dev.pipewright.telemetry.TraceParents;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;

/**
 * Observes every request: a server span that continues the caller's W3C {@code traceparent} (answered with a
 * {@code traceresponse} header naming this request's span), the request id and trace id in the logging context, the
 * request's model time account, and on the way out the request and overhead metrics under the matched route
 * pattern, and one access log line ({@link AccessLog}). Headers are never copied into spans, metrics or logs.
 */
final class RequestTelemetry implements Filter {
    static final HeaderName TRACEPARENT = HeaderNames.create(TraceParents.HEADER);
    static final HeaderName TRACERESPONSE = HeaderNames.create("traceresponse");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("pipewright.request_id");

    private final Tracer tracer;
    private final ModelTimeAccounts modelTime;
    private final GatewayMetrics metrics;
    private final Clock clock;

    RequestTelemetry(Telemetry telemetry, Clock clock) {
        this.tracer = telemetry.tracing().tracer();
        this.modelTime = telemetry.modelTime();
        this.metrics = telemetry.gateway();
        this.clock = clock;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long start = clock.nanoTime();
        String method = request.prologue().method().text();
        String requestId = RequestIds.of(request);
        Context parent =
                request.headers().first(TRACEPARENT).map(TraceParents::context).orElseGet(Context::root);
        Span span = tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        ModelTimeAccounts.Opened account = modelTime.open(requestId);
        try (Scope ignored = span.makeCurrent()) {
            LogContext.putRequest(requestId);
            TraceParents.current().ifPresent(value -> response.header(TRACERESPONSE, value));
            chain.proceed();
        } finally {
            account.close();
            String route = request.matchingPattern().orElse("unmatched");
            int status = response.status().code();
            try (Scope ignored = span.makeCurrent()) {
                AccessLog.record(
                        method,
                        route,
                        status,
                        Duration.ofNanos(clock.nanoTime() - start),
                        account.account().total());
            }
            LogContext.clear();
            span.updateName(method + " " + route);
            span.setAttribute(ROUTE, route);
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            metrics.record(
                    route,
                    method,
                    status,
                    Duration.ofNanos(clock.nanoTime() - start),
                    account.account().total());
        }
    }
}
