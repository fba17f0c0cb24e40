package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No call waits past its deadline, whichever link would be waiting. */
class DeadlineTest {
    private final Harness harness = new Harness();

    @AfterEach
    void close() {
        Thread.interrupted();
        harness.close();
    }

    @Test
    void a_deadline_already_expired_makes_no_attempt() {
        // given
        ScriptedModelClient primary = harness.add(model("primary").fallbacks("backup"));
        ScriptedModelClient backup = harness.add(model("backup"));

        // when
        ModelCallException failure = harness.failure("primary", Deadline.after(Duration.ZERO, harness.clock));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.DeadlineExceeded.class);
        assertThat(failure.attempts()).isEmpty();
        assertThat(primary.calls() + backup.calls()).isZero();
    }

    @Test
    void never_waits_for_a_retry_after_that_ends_past_the_deadline() {
        // given
        ScriptedModelClient primary = harness.add(model("primary").attempts(3));
        primary.fails(new ModelError.RateLimited("slow down", Optional.of(Duration.ofSeconds(20))));

        // when
        ModelCallException failure = harness.failure("primary", Deadline.after(Duration.ofSeconds(10), harness.clock));

        // then the provider's own error is reported, without waiting
        assertThat(failure.error()).isInstanceOf(ModelError.RateLimited.class);
        assertThat(harness.clock.sleeps()).isEmpty();
        assertThat(primary.calls()).isEqualTo(1);
    }

    @Test
    void a_retry_that_would_outlast_the_deadline_goes_to_the_fallback_at_once() {
        // given
        harness.add(model("primary").attempts(3).fallbacks("backup"))
                .fails(new ModelError.RateLimited("slow down", Optional.of(Duration.ofSeconds(20))));
        harness.add(model("backup")).answers();

        // when
        ModelResult result = harness.call("primary", Deadline.after(Duration.ofSeconds(10), harness.clock));

        // then
        assertThat(result.answeredBy()).isEqualTo("backup");
        assertThat(harness.clock.sleeps()).isEmpty();
    }

    @Test
    void stops_backing_off_before_a_wait_would_reach_the_deadline() {
        // given waits of 2s, then 4s (the lowest jitter) against a 5s deadline
        ScriptedModelClient primary =
                harness.add(model("primary").retry(5, Duration.ofSeconds(4), Duration.ofMinutes(1)));
        primary.fails(new ModelError.Timeout("read timed out"));

        // when
        ModelCallException failure = harness.failure("primary", Deadline.after(Duration.ofSeconds(5), harness.clock));

        // then
        assertThat(harness.clock.sleeps()).containsExactly(Duration.ofSeconds(2));
        assertThat(harness.clock.elapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(primary.calls()).isEqualTo(2);
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
    }

    @Test
    void a_fallback_gets_no_call_once_the_deadline_has_passed() {
        // given a primary that uses up the whole deadline
        Deadline deadline = Deadline.after(Duration.ofSeconds(5), harness.clock);
        harness.add(model("primary").attempts(1).fallbacks("backup"))
                .then(new ScriptedModelClient.Perform(
                        () -> harness.clock.advance(Duration.ofSeconds(5)),
                        new ScriptedModelClient.Failure(new ModelError.Timeout("read timed out"))));
        ScriptedModelClient backup = harness.add(model("backup"));

        // when
        ModelCallException failure = harness.failure("primary", deadline);

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.DeadlineExceeded.class);
        assertThat(backup.calls()).isZero();
    }

    @Test
    void an_attempt_gets_at_most_the_time_left_before_the_deadline() {
        // given
        ScriptedModelClient primary = harness.add(model("primary").timeout(Duration.ofSeconds(30)));
        primary.answers();

        // when
        harness.call("primary", Deadline.after(Duration.ofSeconds(4), harness.clock));

        // then
        assertThat(primary.options().getFirst().timeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void a_cancelled_call_stops_waiting_keeps_its_interrupt_and_tries_no_fallback() {
        // given a caller that is interrupted while the first attempt runs
        harness.add(model("primary").attempts(3).fallbacks("backup"))
                .then(new ScriptedModelClient.Perform(
                        () -> Thread.currentThread().interrupt(),
                        new ScriptedModelClient.Failure(new ModelError.ConnectionReset("reset"))));
        ScriptedModelClient backup = harness.add(model("backup"));

        // when
        ModelCallException failure = harness.failure("primary");

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.DeadlineExceeded.class);
        assertThat(Thread.interrupted())
                .as("the interrupt is kept for the caller")
                .isTrue();
        assertThat(harness.clock.sleeps()).isEmpty();
        assertThat(backup.calls()).isZero();
    }
}
