package dev.pipewright.telemetry;

import static dev.pipewright.telemetry.LogField.field;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.CallerGone;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Invocation;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelInterceptor;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log link: one line per logical model call, beside {@link ModelCallMetrics} (inside the deadline link, outside
 * the fallback link), at INFO for calls a model answered and WARN for calls none did. The line's fields are
 * {@code answered_by}, {@code status} ({@code ok}, {@code fallback} or the error's kind), {@code latency_ms},
 * {@code attempts}, {@code input_tokens}, {@code output_tokens} and {@code cost_usd} (the answering model's usage at
 * its configured price; 0 when it has no price, and for a call no model answered, as failed attempts are not
 * billed), with the call's request id, trace id, tenant, pipeline, step and {@code model} (the alias asked for) in the
 * logging context; in JSON form each is a field of its own. The prompt ({@code prompt}: each message as
 * {@code role: text} on a line of its own, or the embedding inputs one per line) and the answer ({@code completion})
 * are logged only when the configuration says {@code logging.content: true}. Thread safe.
 */
public final class ModelCallLog implements ModelInterceptor {
    private static final Logger log = LoggerFactory.getLogger(ModelCallLog.class);

    private final Function<String, ModelConfig> models;
    private final Clock clock;
    private final boolean content;

    public ModelCallLog(Function<String, ModelConfig> models, Clock clock, boolean content) {
        this.models = Objects.requireNonNull(models);
        this.clock = Objects.requireNonNull(clock);
        this.content = content;
    }

    @Override
    public ModelResponse intercept(Chain chain) {
        Invocation invocation = chain.invocation();
        String asked = invocation.model().alias();
        long start = clock.nanoTime();
        try {
            ModelResponse response = chain.proceed(invocation);
            String answeredBy = answeredBy(invocation.attempts().snapshot(), asked);
            List<LogField> fields = new ArrayList<>(List.of(
                    field("answered_by", answeredBy),
                    field("status", answeredBy.equals(asked) ? "ok" : "fallback"),
                    field("latency_ms", elapsedMillis(start)),
                    field("attempts", invocation.attempts().snapshot().size()),
                    field("input_tokens", response.usage().inputTokens()),
                    field("output_tokens", response.usage().outputTokens()),
                    field("cost_usd", cost(answeredBy, response.usage()).doubleValue())));
            if (content) {
                fields.add(field("prompt", prompt(invocation.request())));
                if (response instanceof ModelResponse.Chat chat) {
                    fields.add(field("completion", chat.text()));
                }
            }
            try (LogContext.Restore ignored = LogContext.putCall(invocation.labels(), asked)) {
                log.info("model call {}", withAlias(asked, fields));
            }
            return response;
        } catch (ModelException e) {
            List<LogField> fields = new ArrayList<>(List.of(
                    field("status", e.error().kind()),
                    field("latency_ms", elapsedMillis(start)),
                    field("attempts", invocation.attempts().snapshot().size()),
                    field("cost_usd", 0.0)));
            if (content) {
                fields.add(field("prompt", prompt(invocation.request())));
            }
            try (LogContext.Restore ignored = LogContext.putCall(invocation.labels(), asked)) {
                log.warn("model call {}", withAlias(asked, fields));
            }
            throw e;
        } catch (CallerGone e) {
            // No attempt count: the attempt log records what the model did, and this is the caller's doing.
            try (LogContext.Restore ignored = LogContext.putCall(invocation.labels(), asked)) {
                log.info(
                        "model call {}",
                        withAlias(
                                asked,
                                List.of(
                                        field("status", ModelCallMetrics.CALLER_GONE),
                                        field("latency_ms", elapsedMillis(start)))));
            }
            throw e;
        }
    }

    private static Object[] withAlias(String alias, List<LogField> fields) {
        Object[] arguments = new Object[fields.size() + 1];
        arguments[0] = alias;
        for (int i = 0; i < fields.size(); i++) {
            arguments[i + 1] = fields.get(i);
        }
        return arguments;
    }

    /** The answering model's usage at its price; nothing for a model without a price. */
    private BigDecimal cost(String alias, Usage usage) {
        ModelConfig model;
        try {
            model = models.apply(alias);
        } catch (IllegalArgumentException unknown) {
            return BigDecimal.ZERO;
        }
        if (model == null || model.price().isEmpty()) {
            return BigDecimal.ZERO;
        }
        return model.price().get().costOf(usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens(), 0);
    }

    private static String prompt(ModelRequest request) {
        return switch (request) {
            case ModelRequest.Chat chat ->
                chat.messages().stream().map(ModelCallLog::line).collect(Collectors.joining("\n"));
            case ModelRequest.Embedding embedding -> String.join("\n", embedding.inputs());
        };
    }

    private static String line(ChatMessage message) {
        return message.role().name().toLowerCase(Locale.ROOT) + ": " + message.text();
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
