package dev.pipewright.telemetry;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.pipewright.model.Attempt;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelResponse;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log link: one line per logical model call, beside {@link ModelCallMetrics} (inside the deadline link, outside
 * the fallback link), at INFO for calls a model answered and WARN for calls none did. The line's fields are
 * {@code answered_by}, {@code status} ({@code ok}, {@code fallback} or the
 * error's kind), {@code latency_ms}, {@code attempts}, {@code input_tokens} and {@code output_tokens}, with the call's
 * request id, tenant, pipeline, step and {@code model} (the alias asked for) in the logging context; in JSON form each is a field of its own. Prompts and
 * answers are never logged. Thread safe.
 */
public final class ModelCallLog implements ModelInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ModelCallLog.class);

    private final Clock clock;

    public ModelCallLog(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        String asked = invocation.model().alias();
        long start = clock.nanoTime();
        try {
            ModelResponse response = chain.proceed(invocation);
            String answeredBy = answeredBy(invocation.attempts().snapshot(), asked);
            try (LogContext.Restore ignored = LogContext.putCall(invocation.labels(), asked)) {
                log.info(
                        "model call {} {} {} {} {} {} {}",
                        asked,
                        kv("answered_by", answeredBy),
                        kv("status", answeredBy.equals(asked) ? "ok" : "fallback"),
                        kv("latency_ms", elapsedMillis(start)),
                        kv("attempts", invocation.attempts().snapshot().size()),
                        kv("input_tokens", response.usage().inputTokens()),
                        kv("output_tokens", response.usage().outputTokens()));
            }
            return response;
        } catch (ModelException e) {
            try (LogContext.Restore ignored = LogContext.putCall(invocation.labels(), asked)) {
                log.warn(
                        "model call {} {} {} {}",
                        asked,
                        kv("status", e.error().kind()),
                        kv("latency_ms", elapsedMillis(start)),
                        kv("attempts", invocation.attempts().snapshot().size()));
            }
            throw e;
        }
    }

    private long elapsedMillis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - start);
    }

    private static String answeredBy(List<Attempt> attempts, String asked) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).succeeded()) {
                return attempts.get(i).model();
            }
        }
        return asked;
    }
}
