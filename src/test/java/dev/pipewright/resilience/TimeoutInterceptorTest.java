package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.Attempt;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.Usage;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TimeoutInterceptorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CapturingWatchdog watchdog = new CapturingWatchdog();
    private final Harness harness = new Harness(Harness.LOWEST_JITTER, watchdog);
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void close() {
        Thread.interrupted();
        harness.close();
    }

    @Test
    @Timeout(10)
    void a_client_that_hangs_is_interrupted_after_the_timeout_and_fails_with_timeout() {
        try (Harness real = new Harness(Harness.LOWEST_JITTER, Executors.newSingleThreadScheduledExecutor())) {
            // given a client that ignores its timeout and blocks until interrupted
            real.add(model("primary").timeout(Duration.ofMillis(50)).attempts(1))
                    .then(new ScriptedModelClient.Hang(never));

            // when
            ModelCallException failure = real.failure("primary");

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void arms_the_watchdog_for_the_timeout_and_a_grace_and_disarms_it_when_the_call_returns() {
        // given
        harness.add(model("primary").timeout(TIMEOUT)).answers();

        // when
        harness.call("primary");
        watchdog.fire();

        // then
        assertThat(watchdog.lastDelay()).isEqualTo(TIMEOUT.plus(TimeoutInterceptor.GRACE));
        assertThat(watchdog.lastAlarm().isCancelled()).isTrue();
        assertThat(Thread.currentThread().isInterrupted())
                .as("a late alarm interrupts nothing")
                .isFalse();
    }

    @Test
    void a_watchdog_firing_during_the_call_becomes_a_timeout_and_leaves_no_interrupt() {
        // given
        harness.add(model("primary").timeout(TIMEOUT).attempts(1))
                .then(new ScriptedModelClient.Perform(watchdog::fire, new ScriptedModelClient.Hang(never)));

        // when
        ModelCallException failure = harness.failure("primary");

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void a_timed_out_attempt_is_retried_after_a_normal_wait() {
        // given the fake clock refuses to sleep on an interrupted thread, so a stray interrupt would fail the wait
        harness.add(model("primary").timeout(TIMEOUT).attempts(2))
                .then(new ScriptedModelClient.Perform(watchdog::fire, new ScriptedModelClient.Hang(never)))
                .answers();

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(harness.clock.sleeps()).hasSize(1);
    }

    @Test
    void an_answer_that_arrives_as_the_watchdog_fires_is_kept_and_leaves_no_interrupt() {
        // given
        harness.add(model("primary").timeout(TIMEOUT))
                .then(new ScriptedModelClient.Perform(
                        watchdog::fire, new ScriptedModelClient.Answer(new Usage(3, 4, 0))));

        // when
        ModelResult result = harness.call("primary");

        // then
        assertThat(result.answeredBy()).isEqualTo("primary");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void leaves_an_interrupt_from_the_caller_alone() {
        // given the caller is cancelled during the call, before the alarm goes off
        harness.add(model("primary").timeout(TIMEOUT).attempts(2))
                .then(new ScriptedModelClient.Perform(
                        () -> {
                            Thread.currentThread().interrupt();
                            watchdog.fire();
                        },
                        new ScriptedModelClient.Hang(never)));

        // when
        ModelCallException failure = harness.failure("primary");

        // then the cancellation, not a timeout, ends the call, and the caller still sees its interrupt
        assertThat(failure.error()).isInstanceOf(ModelError.DeadlineExceeded.class);
        assertThat(Thread.interrupted()).isTrue();
    }
}
