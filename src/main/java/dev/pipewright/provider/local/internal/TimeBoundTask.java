package dev.pipewright.provider.local.internal;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs in-process model work on its own virtual thread so the caller can stop waiting after the call's timeout or
 * when it is interrupted. On either, the worker is interrupted too: work that checks interruption (waiting on a
 * process, on the embedding pool) stops; a single ONNX inference already running finishes in the background and its
 * result is dropped.
 */
public final class TimeBoundTask {
    private TimeBoundTask() {}

    /**
     * Answers what {@code work} returns, or throws a {@link ModelException}: {@code Timeout} after {@code timeout} or
     * on interruption (the interrupt flag stays set), the work's own {@link ModelException}, or {@code Unavailable}
     * with status 500 for any other failure of the local model.
     */
    public static <T> T run(Callable<T> work, Duration timeout, String model) {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(model, null);
        }
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofVirtual().name("local-model-" + model).start(task);
        try {
            return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new ModelException(new ModelError.Timeout(model + " did not answer within " + timeout), e);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted(model, e);
        } catch (ExecutionException e) {
            throw failure(model, e.getCause());
        }
    }

    private static ModelException interrupted(String model, InterruptedException cause) {
        return new ModelException(new ModelError.Timeout(model + " was interrupted before it answered"), cause);
    }

    private static ModelException failure(String model, Throwable cause) {
        if (cause instanceof ModelException modelException) {
            return modelException;
        }
        return new ModelException(
                new ModelError.Unavailable(model + " failed: " + cause, 500, Optional.empty()), cause);
    }
}
