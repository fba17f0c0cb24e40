package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static dev.pipewright.resilience.Harness.providerModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipewright.model.Attempt;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Usage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FallbackInterceptorTest {
    private static final ModelError TOO_LONG = new ModelError.ContextLengthExceeded("maximum context length is 8192");

    private final Harness harness = new Harness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void context_length_routes_to_a_larger_context_fallback_and_skips_a_smaller_one() {
        // given
        harness.add(model("primary").contextWindow(8_192).fallbacks("small", "same", "large"))
                .fails(TOO_LONG);
        ScriptedModelClient small = harness.add(model("small").contextWindow(4_096));
        ScriptedModelClient same = harness.add(model("same").contextWindow(8_192));
        ScriptedModelClient large =
                harness.add(model("large").contextWindow(128_000)).answers();

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("large");
        assertThat(small.calls() + same.calls()).isZero();
        assertThat(large.calls()).isEqualTo(1);
    }

    @Test
    void context_length_tries_a_fallback_whose_window_is_unknown() {
        // given
        harness.add(model("primary").contextWindow(8_192).fallbacks("unknown")).fails(TOO_LONG);
        harness.add(model("unknown")).answers();

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("unknown");
    }

    @Test
    void a_window_known_to_be_too_small_stays_skipped_after_other_failures() {
        // given
        harness.add(model("primary").contextWindow(8_192).fallbacks("down", "small", "large"))
                .fails(TOO_LONG);
        harness.add(model("down").attempts(1)).fails(new ModelError.ConnectionReset("reset"));
        ScriptedModelClient small = harness.add(model("small").contextWindow(4_096));
        harness.add(model("large").contextWindow(200_000)).answers();

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("large");
        assertThat(small.calls()).isZero();
    }

    @Test
    void content_policy_is_never_bypassed_by_another_model() {
        // given
        harness.add(model("primary").fallbacks("backup")).fails(new ModelError.ContentFiltered("flagged"));
        ScriptedModelClient backup = harness.add(model("backup")).answers();

        // when
        ModelCallException failure = harness.failure("primary");

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.ContentFiltered.class);
        assertThat(backup.calls()).isZero();
    }

    @Test
    void uses_the_fallbacks_of_the_primary_model_only_in_their_order() {
        // given
        ModelError down = new ModelError.Unavailable("down", 503, Optional.empty());
        harness.add(model("primary").attempts(1).fallbacks("second", "third")).fails(down);
        harness.add(model("second").attempts(1).fallbacks("elsewhere")).fails(down);
        harness.add(model("third").attempts(1)).fails(down);
        ScriptedModelClient elsewhere = harness.add(model("elsewhere")).answers();

        // when
        ModelCallException failure = harness.failure("primary");

        // then the last error ends the call, and the fallback's own fallbacks were not asked
        assertThat(failure.attempts()).extracting(Attempt::model).containsExactly("primary", "second", "third");
        assertThat(failure.error()).isEqualTo(down);
        assertThat(elsewhere.calls()).isZero();
    }

    @Test
    void the_result_names_the_model_that_answered_its_usage_and_every_attempt() {
        // given
        ModelError down = new ModelError.Unavailable("down", 502, Optional.empty());
        harness.add(model("primary")
                        .retry(2, Duration.ofMillis(100), Duration.ofSeconds(1))
                        .fallbacks("backup"))
                .fails(down);
        harness.add(model("backup")).answers(new Usage(120, 34, 20));

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("backup");
        assertThat(result.providerModel()).isEqualTo(providerModel("backup"));
        assertThat(result.response().model()).isEqualTo(providerModel("backup"));
        assertThat(result.usage()).isEqualTo(new Usage(120, 34, 20));
        assertThat(result.attempts())
                .extracting(Attempt::model, Attempt::number, Attempt::waitedBefore, Attempt::error)
                .containsExactly(
                        tuple("primary", 1, Duration.ZERO, Optional.of(down)),
                        tuple("primary", 2, Duration.ofMillis(50), Optional.of(down)),
                        tuple("backup", 1, Duration.ZERO, Optional.empty()));
    }
}
