package dev.pipewright.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureDecisionTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1));

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(
                        failed(new ModelError.RateLimited("429", Optional.of(Duration.ofSeconds(120)))),
                        1,
                        "Snooze",
                        "rate_limited",
                        Duration.ofSeconds(120)),
                Arguments.of(
                        failed(new ModelError.RateLimited("429", Optional.of(Duration.ofSeconds(120)))),
                        5,
                        "Snooze",
                        "rate_limited",
                        Duration.ofSeconds(120)),
                Arguments.of(
                        failed(new ModelError.RateLimited("429", Optional.empty())),
                        1,
                        "Retry",
                        "rate_limited",
                        Duration.ofSeconds(1)),
                Arguments.of(
                        failed(new ModelError.Unavailable("503", 503, Optional.empty())),
                        1,
                        "Retry",
                        "unavailable",
                        Duration.ofSeconds(1)),
                Arguments.of(failed(new ModelError.Timeout("slow")), 5, "DeadLetter", "timeout", null),
                Arguments.of(
                        failed(new ModelError.DeadlineExceeded("late")),
                        1,
                        "Retry",
                        "deadline_exceeded",
                        Duration.ofSeconds(1)),
                Arguments.of(failed(new ModelError.ContentFiltered("no")), 1, "DeadLetter", "content_filtered", null),
                Arguments.of(failed(new ModelError.AuthFailed("key")), 1, "DeadLetter", "auth_failed", null),
                Arguments.of(
                        failed(new ModelError.ContextLengthExceeded("big")),
                        1,
                        "DeadLetter",
                        "context_length_exceeded",
                        null),
                Arguments.of(
                        new PipelineInputException("chain", List.of("input.text")),
                        1,
                        "DeadLetter",
                        "invalid_input",
                        null),
                Arguments.of(new UnknownPipelineException("j", "gone"), 1, "DeadLetter", "unknown_pipeline", null),
                Arguments.of(new IllegalStateException("bug"), 1, "Retry", "internal", Duration.ofSeconds(1)));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void a_failure_snoozes_retries_or_dead_letters_by_what_a_retry_can_fix(
            RuntimeException failure, int attempts, String decision, String kind, Duration after) {
        // given
        Job job = job(attempts, 5);

        // when
        FailureDecision decided = FailureDecision.decide(job, failure, NOW, BACKOFF, new SplittableRandom(1));

        // then
        assertThat(decided.getClass().getSimpleName()).isEqualTo(decision);
        assertThat(decided.error().kind()).isEqualTo(kind);
        switch (decided) {
            case FailureDecision.Retry retry ->
                assertThat(retry.runAt()).isBetween(NOW.plus(after.dividedBy(2)), NOW.plus(after));
            case FailureDecision.Snooze snooze -> assertThat(snooze.runAt()).isEqualTo(NOW.plus(after));
            case FailureDecision.DeadLetter dead -> assertThat(after).isNull();
        }
    }

    private static PipelineFailedException failed(ModelError error) {
        PipelineResult partial = new PipelineResult(
                "j", "chain", Map.of(), Map.of(), Duration.ZERO, List.of(), Usage.NONE, BigDecimal.ZERO, List.of());
        return new PipelineFailedException(partial, "two", error, null);
    }

    private static Job job(int attempts, int maxAttempts) {
        return new Job(
                "j",
                "acme",
                "chain",
                JsonNodeFactory.instance.objectNode(),
                Optional.empty(),
                Optional.empty(),
                JobStatus.RUNNING,
                attempts,
                maxAttempts,
                attempts,
                NOW,
                NOW,
                NOW,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                "");
    }
}
