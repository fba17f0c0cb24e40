package dev.pipewright.jobs.webhook;

/** A URL that Pipewright will not call on a client's behalf; the message says why and how to allow it. */
public final class RefusedTargetException extends RuntimeException {
    public RefusedTargetException(String message) {
        super(message);
    }
}
