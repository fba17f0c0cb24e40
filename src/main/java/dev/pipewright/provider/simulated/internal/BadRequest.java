package dev.pipewright.provider.simulated.internal;

/** A request the simulator cannot take, as a real provider would reject it with 400; {@code param} may be null. */
public final class BadRequest extends RuntimeException {
    private final String param;

    public BadRequest(String message, String param) {
        super(message);
        this.param = param;
    }

    /** The request field at fault, or null when the body as a whole is. */
    public String param() {
        return param;
    }
}
