package dev.pipewright.jobs;

import dev.pipewright.model.ModelError;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a failed attempt leads to. A rate limit with a Retry-After snoozes the job for exactly that long without
 * using the attempt; other retryable failures retry after the back-off while attempts remain; permanent failures
 * (a model error no retry can fix, input the pipeline cannot take, a pipeline that no longer exists) and the last
 * attempt's failure go to the dead letter queue.
 */
sealed interface FailureDecision {

    JobError error();

    record Retry(JobError error, Instant runAt) implements FailureDecision {}

    record Snooze(JobError error, Instant runAt) implements FailureDecision {}

    record DeadLetter(JobError error) implements FailureDecision {}

    static FailureDecision decide(
            Job job, Throwable failure, Instant now, RetryBackoff backoff, RandomGenerator random) {
        JobError error = errorOf(failure);
        if (failure instanceof PipelineFailedException failed
                && failed.error() instanceof ModelError.RateLimited limited
                && limited.retryAfter().isPresent()) {
            return new Snooze(error, now.plus(limited.retryAfter().get()));
        }
        if (!retryable(failure) || job.attemptsExhausted()) {
            return new DeadLetter(error);
        }
        Duration delay = backoff.delayAfter(job.attempts(), random);
        return new Retry(error, now.plus(delay));
    }

    private static boolean retryable(Throwable failure) {
        return switch (failure) {
            case PipelineFailedException failed -> retryable(failed.error());
            case PipelineInputException ignored -> false;
            case UnknownPipelineException ignored -> false;
            default -> true;
        };
    }

    /** Deadlines and open circuits fail this attempt, but a later attempt may well find the model answering. */
    private static boolean retryable(ModelError error) {
        return switch (error) {
            case ModelError.RateLimited ignored -> true;
            case ModelError.Unavailable ignored -> true;
            case ModelError.Timeout ignored -> true;
            case ModelError.ConnectionReset ignored -> true;
            case ModelError.CircuitOpen ignored -> true;
            case ModelError.DeadlineExceeded ignored -> true;
            case ModelError.InvalidRequest ignored -> false;
            case ModelError.ContextLengthExceeded ignored -> false;
            case ModelError.ContentFiltered ignored -> false;
            case ModelError.AuthFailed ignored -> false;
        };
    }

    static JobError errorOf(Throwable failure) {
        return switch (failure) {
            case PipelineFailedException failed ->
                new JobError(failed.error().kind(), failed.error().message(), Optional.of(failed.step()));
            case PipelineInputException invalid ->
                new JobError("invalid_input", invalid.getMessage(), Optional.empty());
            case UnknownPipelineException unknown ->
                new JobError("unknown_pipeline", unknown.getMessage(), Optional.empty());
            default ->
                new JobError(
                        "internal", failure.getClass().getSimpleName() + ": " + failure.getMessage(), Optional.empty());
        };
    }
}
