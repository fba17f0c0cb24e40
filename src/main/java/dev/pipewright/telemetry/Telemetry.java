package dev.pipewright.telemetry;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.TelemetryConfig;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the process observes itself with, built once by the composition root and handed to the parts that
 * record: the meter registry behind {@code GET /metrics}, the tracer, the per-request model time accounts, the links
 * of the model-call chain, the pipeline observer, and the recording APIs of cost, cache, rate limits, budgets and
 * the queue.
 */
public final class Telemetry implements AutoCloseable {
    private final PrometheusMetrics metrics;
    private final Tracing tracing;
    private final Clock clock;
    private final ModelTimeAccounts modelTime;
    private final boolean logContent;

    public Telemetry(PrometheusMetrics metrics, Tracing tracing, Clock clock) {
        this(metrics, tracing, clock, false);
    }

    private Telemetry(PrometheusMetrics metrics, Tracing tracing, Clock clock, boolean logContent) {
        this.metrics = Objects.requireNonNull(metrics);
        this.tracing = Objects.requireNonNull(tracing);
        this.clock = Objects.requireNonNull(clock);
        this.modelTime = new ModelTimeAccounts(clock);
        this.logContent = logContent;
    }

    /** Prometheus metrics always; traces as the {@code OTEL_*} variables of {@code env} say (off when unset). */
    public static Telemetry fromEnvironment(Map<String, String> env, Clock clock) {
        return new Telemetry(new PrometheusMetrics(), Tracing.fromEnvironment(env), clock);
    }

    /**
     * Metrics unless {@code settings} turn them off, prompts and answers in the model-call log lines only when
     * {@code settings} ask for them, and traces as the {@code OTEL_*} variables of {@code env} say.
     */
    public static Telemetry from(TelemetryConfig settings, Map<String, String> env, Clock clock) {
        PrometheusMetrics metrics = settings.metrics() ? new PrometheusMetrics() : PrometheusMetrics.off();
        return new Telemetry(metrics, Tracing.fromEnvironment(env), clock, settings.logContent());
    }

    public MeterRegistry registry() {
        return metrics.registry();
    }

    public PrometheusMetrics metrics() {
        return metrics;
    }

    public Tracing tracing() {
        return tracing;
    }

    public ModelTimeAccounts modelTime() {
        return modelTime;
    }

    /** The per-call metrics link: inside the deadline link, outside the fallback link. */
    public ModelInterceptor callMetrics(Function<String, ModelConfig> models) {
        return new ModelCallMetrics(registry(), models, modelTime, clock);
    }

    /** The per-call log link, pricing each call from {@code models}: beside the call metrics link. */
    public ModelInterceptor callLog(Function<String, ModelConfig> models) {
        return new ModelCallLog(models, clock, logContent);
    }

    /** The per-attempt span link: inside the timeout link. */
    public ModelInterceptor attemptSpans() {
        return new ModelAttemptSpans(tracing.tracer());
    }

    /** The per-attempt metrics link: innermost, right before the provider client. */
    public ModelInterceptor attemptMetrics() {
        return new ModelAttemptMetrics(registry(), clock);
    }

    public PipelineObserver pipelineObserver() {
        return new PipelineTelemetry(registry(), tracing.tracer(), clock);
    }

    public GatewayMetrics gateway() {
        return new GatewayMetrics(registry());
    }

    public CostMeters cost() {
        return new CostMeters(registry());
    }

    public CacheMeters cache() {
        return new CacheMeters(registry());
    }

    public RateLimitMeters rateLimits() {
        return new RateLimitMeters(registry());
    }

    public BudgetGauges budgets() {
        return new BudgetGauges(registry());
    }

    public void observeQueue(QueueGauges queue) {
        QueueMetrics.register(registry(), queue);
    }

    /** Availability and circuit state gauges of {@code models}; see {@link ModelHealthGauges}. */
    public void observeModels(Collection<ModelConfig> models, Function<String, String> circuitState) {
        ModelHealthGauges.register(registry(), models, circuitState);
    }

    @Override
    public void close() {
        tracing.close();
        metrics.close();
    }
}
