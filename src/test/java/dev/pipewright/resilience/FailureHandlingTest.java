package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.CircuitPolicy;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How each kind of failure is handled by the whole chain: retried on the same model, sent on, counted. */
class FailureHandlingTest {
    /** One failure opens the circuit, if it counts. */
    private static final CircuitPolicy TRIGGER_HAPPY = new CircuitPolicy(1.0, 1, 1, Duration.ofSeconds(30), 1);

    private final Harness harness = new Harness();

    @AfterEach
    void close() {
        harness.close();
    }

    static Stream<Arguments> failures() {
        Optional<Duration> none = Optional.empty();
        Optional<Duration> twoSeconds = Optional.of(Duration.ofSeconds(2));
        return Stream.of(
                row("429 rate limited", new ModelError.RateLimited("slow down", twoSeconds), true, true, true),
                row(
                        "429 rate limited, no Retry-After",
                        new ModelError.RateLimited("slow down", none),
                        true,
                        true,
                        true),
                row("500 server error", new ModelError.Unavailable("boom", 500, none), true, true, true),
                row("502 bad gateway", new ModelError.Unavailable("bad gateway", 502, none), true, true, true),
                row("503 with Retry-After", new ModelError.Unavailable("later", 503, twoSeconds), true, true, true),
                row("529 overloaded", new ModelError.Unavailable("overloaded", 529, none), true, true, true),
                row("408/504 timeout", new ModelError.Timeout("too slow"), true, true, true),
                row("connection reset", new ModelError.ConnectionReset("reset by peer"), true, true, true),
                row("401 bad key", new ModelError.AuthFailed("invalid x-api-key"), false, true, true),
                row("402/403 quota used up", new ModelError.AuthFailed("insufficient_quota"), false, true, true),
                row("400 bad request", new ModelError.InvalidRequest("messages: required"), false, false, false),
                row("400 context length", new ModelError.ContextLengthExceeded("too long"), false, true, false),
                row("400 content policy", new ModelError.ContentFiltered("flagged"), false, false, false),
                row("deadline exceeded", new ModelError.DeadlineExceeded("out of time"), false, false, false),
                row("circuit open further down", new ModelError.CircuitOpen("open"), false, true, false));
    }

    private static Arguments row(
            String scenario, ModelError error, boolean retried, boolean fallsBack, boolean countsAgainstCircuit) {
        return Arguments.of(scenario, error, retried, fallsBack, countsAgainstCircuit);
    }

    @ParameterizedTest(name = "{0}: retried={2}, falls back={3}, counts against circuit={4}")
    @MethodSource("failures")
    void handles_each_kind_of_failure_by_whether_a_retry_or_another_model_can_help(
            String scenario, ModelError error, boolean retried, boolean fallsBack, boolean countsAgainstCircuit) {
        // given
        ScriptedModelClient primary =
                harness.add(model("primary").attempts(3).circuit(TRIGGER_HAPPY).fallbacks("backup"));
        ScriptedModelClient backup = harness.add(model("backup")).answers();
        primary.fails(error);

        // when
        Optional<ModelResult> result = outcome();

        // then
        assertThat(primary.calls()).as("calls to the failing model").isEqualTo(retried ? 3 : 1);
        assertThat(result.map(ModelResult::answeredBy)).isEqualTo(fallsBack ? Optional.of("backup") : Optional.empty());
        assertThat(backup.calls()).isEqualTo(fallsBack ? 1 : 0);
        assertThat(harness.breakers.state("primary"))
                .isEqualTo(countsAgainstCircuit ? CircuitState.OPEN : CircuitState.CLOSED);
    }

    private Optional<ModelResult> outcome() {
        try {
            return Optional.of(harness.call("primary"));
        } catch (ModelCallException e) {
            return Optional.empty();
        }
    }
}
