package dev.pipewright.gateway.compat;

import java.util.Objects;

/** Ends a compatible-route request with {@link #error()}, rendered in the route's dialect. */
public class WireErrorException extends RuntimeException {
    private final WireError error;

    public WireErrorException(WireError error) {
        super(error.message());
        this.error = Objects.requireNonNull(error);
    }

    public WireError error() {
        return error;
    }
}
