package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipewright.config.CircuitPolicy;
import dev.pipewright.model.Attempt;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Usage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerInterceptorTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    /** Opens at half of the last 4 calls failing, once 4 were made; 2 probes decide. */
    private static final CircuitPolicy POLICY = new CircuitPolicy(0.5, 4, 4, OPEN_FOR, 2);

    private static final ModelError DOWN = new ModelError.Unavailable("down", 503, Optional.empty());
    private static final ScriptedModelClient.Outcome FAIL = new ScriptedModelClient.Failure(DOWN);
    private static final ScriptedModelClient.Outcome ANSWER = new ScriptedModelClient.Answer(new Usage(1, 1, 0));

    private final Harness harness = new Harness();
    private ScriptedModelClient primary;
    private ScriptedModelClient backup;

    @BeforeEach
    void models() {
        primary = harness.add(model("primary").attempts(1).circuit(POLICY).fallbacks("backup"));
        backup = harness.add(model("backup")).answers();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void a_model_never_called_is_closed() {
        assertThat(harness.breakers.state("primary")).isEqualTo(CircuitState.CLOSED);
        assertThat(harness.breakers.state("no-such-model")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void opens_after_the_failure_rate_over_the_window() {
        // given
        primary.then(ANSWER, FAIL, ANSWER, FAIL);

        // when
        calls(3);
        CircuitState belowMinimum = harness.breakers.state("primary");
        calls(1);

        // then
        assertThat(belowMinimum).isEqualTo(CircuitState.CLOSED);
        assertThat(harness.breakers.state("primary")).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void serves_from_the_fallbacks_while_open_without_calling_the_broken_model() {
        // given
        primary.then(FAIL, FAIL, FAIL, FAIL);
        calls(4);

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(primary.calls()).isEqualTo(4);
        assertThat(result.answeredBy()).isEqualTo("backup");
        assertThat(result.attempts())
                .extracting(Attempt::model, attempt -> attempt.error().map(ModelError::kind), Attempt::latency)
                .containsExactly(
                        tuple("primary", Optional.of("circuit_open"), Duration.ZERO),
                        tuple("backup", Optional.empty(), Duration.ZERO));
    }

    @Test
    void goes_half_open_after_open_for_probes_and_closes_on_recovery() {
        // given
        primary.then(FAIL, FAIL, FAIL, FAIL, ANSWER);
        calls(4);
        harness.clock.advance(OPEN_FOR.minusSeconds(1));
        calls(1);
        int callsWhileOpen = primary.calls();

        // when
        harness.clock.advance(Duration.ofSeconds(2));
        ModelResult firstProbe = harness.call("primary");
        CircuitState afterFirstProbe = harness.breakers.state("primary");
        ModelResult secondProbe = harness.call("primary");

        // then
        assertThat(callsWhileOpen).isEqualTo(4);
        assertThat(firstProbe.answeredBy()).isEqualTo("primary");
        assertThat(afterFirstProbe).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(secondProbe.answeredBy()).isEqualTo("primary");
        assertThat(harness.breakers.state("primary")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void reopens_when_the_probes_fail() {
        // given
        primary.then(FAIL);
        calls(4);
        harness.clock.advance(OPEN_FOR.plusSeconds(1));

        // when
        calls(2);
        CircuitState afterProbes = harness.breakers.state("primary");
        calls(1);

        // then
        assertThat(afterProbes).isEqualTo(CircuitState.OPEN);
        assertThat(primary.calls()).isEqualTo(6);
        assertThat(backup.calls()).isEqualTo(7);
    }

    @Test
    void one_logical_call_with_its_retries_is_one_call_to_the_breaker() {
        // given three tries per call, each call failing twice before it succeeds
        ScriptedModelClient flaky =
                harness.add(model("flaky").attempts(3).circuit(new CircuitPolicy(0.5, 2, 2, OPEN_FOR, 1)));
        flaky.then(FAIL, FAIL, ANSWER, FAIL, FAIL, ANSWER);

        // when
        harness.call("flaky");
        harness.call("flaky");

        // then four of six attempts failed, but no call did
        assertThat(flaky.calls()).isEqualTo(6);
        assertThat(harness.breakers.state("flaky")).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void a_reloaded_circuit_policy_starts_a_fresh_circuit() {
        // given an open circuit
        primary.then(FAIL, FAIL, FAIL, FAIL, ANSWER);
        calls(4);

        // when the config is reloaded with another policy for the model
        harness.add(model("primary").attempts(1).circuit(new CircuitPolicy(0.9, 5, 10, OPEN_FOR, 1)));
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("primary");
        assertThat(harness.breakers.state("primary")).isEqualTo(CircuitState.CLOSED);
    }

    private void calls(int count) {
        for (int i = 0; i < count; i++) {
            harness.call("primary");
        }
    }
}
