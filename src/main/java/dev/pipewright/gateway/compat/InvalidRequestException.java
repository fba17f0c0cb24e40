package dev.pipewright.gateway.compat;

import java.util.Optional;

/** A compatible-route request the client must change: answered with 400 in the route's dialect. */
public final class InvalidRequestException extends WireErrorException {
    public InvalidRequestException(String message, Optional<String> param) {
        super(WireError.invalidRequest(message, param));
    }
}
