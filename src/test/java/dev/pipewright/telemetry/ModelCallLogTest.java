package dev.pipewright.telemetry;

import static dev.pipewright.telemetry.ChainHarness.model;
import static dev.pipewright.telemetry.ChainHarness.providerModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.Price;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.CallerGone;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.Usage;
import dev.pipewright.resilience.CircuitState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class ModelCallLogTest {
    private static final CallLabels ACME = new CallLabels("acme", "analyze", "classify", "req-7");

    private final Logger logger = (Logger) LoggerFactory.getLogger(ModelCallLog.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final ChainHarness chain = new ChainHarness(
            new SimpleMeterRegistry(),
            OpenTelemetry.noop().getTracer("test"),
            model("classifier", "anthropic", "backup"),
            model("backup", "openai"),
            priced(model("priced", "openai")));
    private Level level;

    private static ModelConfig priced(ModelConfig model) {
        return new ModelConfig(
                model.alias(),
                model.provider(),
                model.model(),
                model.type(),
                Optional.of(new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), Optional.empty())),
                model.timeout(),
                model.retry(),
                model.circuit(),
                model.fallbacks(),
                model.contextWindow(),
                model.simulation(),
                model.stream());
    }

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(level);
        chain.close();
    }

    @Test
    void one_line_per_call_names_the_model_that_answered_its_latency_tokens_and_the_callers_labels() {
        // given
        chain.client
                .fails(providerModel("classifier"), Duration.ofMillis(100), new ModelError.Timeout("slow"))
                .fails(providerModel("classifier"), Duration.ofMillis(100), new ModelError.Timeout("slow"))
                .answers(providerModel("backup"), Duration.ofMillis(200), new Usage(40, 9, 0));
        MDC.put(LogContext.STEP, "outer");

        // when
        chain.call("classifier", ACME);

        // then
        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.getFirst();
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(shown(line))
                .contains("model call classifier", "answered_by=backup", "status=fallback", "attempts=3")
                .contains("input_tokens=40", "output_tokens=9")
                .containsPattern("latency_ms=(4\\d\\d)");
        assertThat(line.getMDCPropertyMap())
                .containsEntry("request_id", "req-7")
                .containsEntry("tenant", "acme")
                .containsEntry("pipeline", "analyze")
                .containsEntry("step", "classify")
                .containsEntry("model", "classifier");
        assertThat(MDC.get(LogContext.STEP)).isEqualTo("outer");
        assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
        MDC.clear();
    }

    @Test
    void a_call_no_model_answered_is_a_warning_with_the_kind_of_error() {
        // given
        chain.client.fails(
                providerModel("backup"), Duration.ofMillis(5), new ModelError.RateLimited("busy", Optional.empty()));
        chain.client.fails(
                providerModel("backup"), Duration.ofMillis(5), new ModelError.RateLimited("busy", Optional.empty()));

        // when
        assertThatThrownBy(() -> chain.call("backup", ACME)).isInstanceOf(ModelCallException.class);

        // then
        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(shown(line)).contains("model call backup", "status=rate_limited");
        });
    }

    @Test
    void a_caller_gone_mid_stream_is_logged_as_such_and_not_held_against_the_model() {
        // given: more calls than the circuit's window, each losing its caller at the first piece
        int calls = 25;
        for (int i = 0; i < calls; i++) {
            chain.client.answers(providerModel("backup"), Duration.ofMillis(5), new Usage(10, 2, 0));
        }

        // when
        for (int i = 0; i < calls; i++) {
            assertThatThrownBy(() -> chain.stream("backup", ACME, delta -> {
                        throw new CallerGone(new IOException("the client closed the connection"));
                    }))
                    .isInstanceOf(CallerGone.class);
        }

        // then: one call each (a retry or a fallback would have found no scripted answer), the circuit still closed
        assertThat(chain.breakers.state("backup")).isEqualTo(CircuitState.CLOSED);
        assertThat(lines.list).hasSize(calls).allSatisfy(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(shown(line)).contains("model call backup", "status=caller_gone", "latency_ms=5");
        });
    }

    @Test
    void each_line_carries_the_cost_of_the_call_at_the_answering_models_price_and_no_text_by_default() {
        // given: $3 per million input tokens, $15 per million output tokens
        chain.client.answers(providerModel("priced"), Duration.ofMillis(10), new Usage(1000, 200, 0));

        // when
        chain.call("priced", ACME);

        // then: 1000 × 3 / 1e6 + 200 × 15 / 1e6
        assertThat(lines.list)
                .singleElement()
                .satisfies(line -> assertThat(shown(line))
                        .contains("cost_usd=0.006")
                        .doesNotContain("prompt=", "completion=", "hello"));
    }

    @Test
    void a_call_no_model_answered_costs_nothing() {
        // given
        chain.client.fails(providerModel("backup"), Duration.ofMillis(5), new ModelError.InvalidRequest("bad"));

        // when
        assertThatThrownBy(() -> chain.call("backup", ACME)).isInstanceOf(ModelCallException.class);

        // then
        assertThat(lines.list)
                .singleElement()
                .satisfies(line -> assertThat(shown(line)).contains("cost_usd=0.0"));
    }

    @Test
    void prompt_and_completion_are_logged_only_when_the_configuration_asks_for_content() {
        // given
        try (ChainHarness logging = new ChainHarness(
                new SimpleMeterRegistry(), OpenTelemetry.noop().getTracer("test"), true, model("backup", "openai"))) {
            logging.client.answers(providerModel("backup"), Duration.ofMillis(5), new Usage(4, 1, 0));

            // when
            logging.call("backup", ACME);
        }

        // then
        assertThat(lines.list)
                .singleElement()
                .satisfies(line -> assertThat(shown(line)).contains("prompt=user: hello", "completion=answer"));
    }

    /** The line as the text format shows it: the message, then its fields. */
    private static String shown(ILoggingEvent line) {
        return line.getFormattedMessage() + new LogFieldsConverter().convert(line);
    }
}
