package dev.pipewright.testing;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A call made on a platform thread of its own, so that a test can interrupt it and see how and when it ended. */
public final class CallerThread {
    private final Thread thread;
    private final CompletableFuture<Optional<Throwable>> outcome = new CompletableFuture<>();

    /** The call to make. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private CallerThread(Call call) {
        this.thread = Thread.ofPlatform().unstarted(() -> {
            try {
                call.run();
                outcome.complete(Optional.empty());
            } catch (Throwable failure) {
                outcome.complete(Optional.of(failure));
            }
        });
    }

    public static CallerThread start(Call call) {
        CallerThread caller = new CallerThread(call);
        caller.thread.start();
        return caller;
    }

    public void interrupt() {
        thread.interrupt();
    }

    public boolean ended() {
        return outcome.isDone();
    }

    /** What the call threw, empty when it returned; only once {@link #ended()}. */
    public Optional<Throwable> failure() {
        if (!ended()) {
            throw new IllegalStateException("the call has not ended");
        }
        return outcome.join();
    }
}
