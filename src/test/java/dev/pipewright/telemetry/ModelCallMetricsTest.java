package dev.pipewright.telemetry;

import static dev.pipewright.telemetry.ChainHarness.model;
import static dev.pipewright.telemetry.ChainHarness.providerModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.model.CallLabels;
import dev.pipewright.model.CallerGone;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelCallMetricsTest {
    private static final CallLabels ACME = new CallLabels("acme", "analyze", "classify", "req-1");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChainHarness chain = new ChainHarness(
            registry,
            OpenTelemetry.noop().getTracer("test"),
            model("classifier", "anthropic", "classifier-backup"),
            model("classifier-backup", "openai"));

    @AfterEach
    void close() {
        chain.close();
    }

    @Test
    void records_the_latency_tokens_and_attempt_of_a_call_the_model_answered() {
        // given
        chain.client.answers(providerModel("classifier"), Duration.ofMillis(300), new Usage(120, 30, 20));

        // when
        chain.call("classifier", ACME);

        // then
        var duration = registry.get("pipewright.model.call.duration")
                .tags("provider", "anthropic", "model", "classifier", "outcome", "success")
                .timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(tokens("classifier", "input")).isEqualTo(120);
        assertThat(tokens("classifier", "output")).isEqualTo(30);
        assertThat(tokens("classifier", "cached")).isEqualTo(20);
        assertThat(attempts("classifier", "success", "none")).isEqualTo(1);
    }

    @Test
    void a_call_a_fallback_answered_counts_as_fallback_and_its_tokens_go_to_the_fallback() {
        // given
        ModelError down = new ModelError.Unavailable("overloaded", 503, Optional.empty());
        chain.client
                .fails(providerModel("classifier"), Duration.ofMillis(50), down)
                .fails(providerModel("classifier"), Duration.ofMillis(50), down)
                .answers(providerModel("classifier-backup"), Duration.ofMillis(200), new Usage(10, 5, 0));

        // when
        chain.call("classifier", ACME);

        // then
        assertThat(registry.get("pipewright.model.call.duration")
                        .tags("model", "classifier", "outcome", "fallback")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(tokens("classifier-backup", "input")).isEqualTo(10);
        assertThat(registry.find("pipewright.model.tokens")
                        .tags("model", "classifier")
                        .counters())
                .isEmpty();
        assertThat(attempts("classifier", "error", "unavailable")).isEqualTo(2);
        assertThat(attempts("classifier-backup", "success", "none")).isEqualTo(1);
    }

    @Test
    void a_call_no_model_answered_counts_as_an_error_of_the_kind_that_ended_it() {
        // given
        ModelError refused = new ModelError.InvalidRequest("bad prompt");
        chain.client.fails(providerModel("classifier-backup"), Duration.ofMillis(10), refused);

        // when
        assertThatThrownBy(() -> chain.call("classifier-backup", ACME)).isInstanceOf(ModelCallException.class);

        // then
        assertThat(registry.get("pipewright.model.call.duration")
                        .tags("provider", "openai", "model", "classifier-backup", "outcome", "error")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("pipewright.model.call.failures")
                        .tags("model", "classifier-backup", "error", "invalid_request")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(attempts("classifier-backup", "error", "invalid_request")).isEqualTo(1);
    }

    @Test
    void a_stream_whose_caller_went_away_counts_as_caller_gone_and_not_as_a_failure() {
        // given
        chain.client.answers(providerModel("classifier-backup"), Duration.ofMillis(10), new Usage(10, 2, 0));

        // when: the caller is gone at the first piece
        assertThatThrownBy(() -> chain.stream("classifier-backup", ACME, delta -> {
                    throw new CallerGone(new IOException("the client closed the connection"));
                }))
                .isInstanceOf(CallerGone.class);

        // then
        assertThat(registry.get("pipewright.model.call.duration")
                        .tags("provider", "openai", "model", "classifier-backup", "outcome", "caller_gone")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.find("pipewright.model.call.failures").counters()).isEmpty();
        assertThat(attempts("classifier-backup", "caller_gone", "none")).isEqualTo(1);
    }

    @Test
    void a_tool_call_piece_counts_as_the_first_token_and_reaches_the_caller() {
        // given: the tool call opens after 300 ms, its arguments follow 300 ms later
        chain.client.callsTool(providerModel("classifier"), Duration.ofMillis(300), new Usage(5, 2, 0));
        List<ToolCallDelta> received = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                throw new AssertionError("no text was streamed, but got " + delta);
            }

            @Override
            public void onToolCall(ToolCallDelta delta) {
                received.add(delta);
            }
        };

        // when
        ModelResult result = chain.stream("classifier", ACME, listener);

        // then
        var firstToken = registry.get("pipewright.model.first.token.duration")
                .tags("model", "classifier")
                .timer();
        assertThat(firstToken.count()).isEqualTo(1);
        assertThat(firstToken.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(received)
                .containsExactly(ToolCallDelta.start(0, "call_1", "lookup"), ToolCallDelta.arguments(0, "{}"));
        assertThat(((ModelResponse.Chat) result.response()).toolCalls()).hasSize(1);
    }

    @Test
    void a_streamed_attempt_records_the_time_to_its_first_piece() {
        // given: the first piece comes after 400 ms, the second 400 ms later
        chain.client.answers(providerModel("classifier"), Duration.ofMillis(400), new Usage(5, 2, 0));

        // when
        chain.stream("classifier", ACME);

        // then
        var firstToken = registry.get("pipewright.model.first.token.duration")
                .tags("model", "classifier")
                .timer();
        assertThat(firstToken.count()).isEqualTo(1);
        assertThat(firstToken.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(400);
        assertThat(registry.get("pipewright.model.attempt.duration")
                        .tags("model", "classifier")
                        .timer()
                        .totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(800);
    }

    @Test
    void a_call_is_charged_to_the_open_account_of_its_request() {
        // given
        chain.client.answers(providerModel("classifier"), Duration.ofMillis(700), Usage.NONE);
        ModelTimeAccounts.Opened account = chain.accounts.open("req-1");

        // when
        chain.call("classifier", ACME);
        account.close();

        // then
        assertThat(account.account().total()).isEqualTo(Duration.ofMillis(700));
    }

    private double tokens(String model, String type) {
        return registry.get("pipewright.model.tokens")
                .tags("tenant", "acme", "model", model, "type", type)
                .counter()
                .count();
    }

    private double attempts(String model, String outcome, String error) {
        return registry.get("pipewright.model.attempts")
                .tags("model", model, "outcome", outcome, "error", error)
                .counter()
                .count();
    }
}
