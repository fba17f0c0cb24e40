package dev.pipewright.model;

/**
 * Thrown by a {@link StreamListener} whose caller stopped taking the pieces (a client that went away): the call is
 * abandoned, not failed. It is not a {@link ModelException}, so nothing retries or fails over on it and no circuit
 * counts it; the upstream call it unwinds is aborted on the way out.
 */
public final class CallerGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CallerGone(Throwable cause) {
        super("the caller stopped taking the stream: " + cause.getMessage(), cause, false, false);
    }
}
