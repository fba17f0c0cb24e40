package dev.pipewright.gateway;

/** A request the client must change before sending again; answered with 400 and this message. */
final class BadRequestException extends RuntimeException {
    BadRequestException(String message) {
        super(message);
    }
}
