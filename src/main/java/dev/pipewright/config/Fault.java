package dev.pipewright.config;

/** A failure the simulator can inject, named in config as the lower-case, hyphenated constant. */
public enum Fault {
    RATE_LIMIT,
    SERVER_ERROR,
    OVERLOADED,
    CONNECTION_RESET,
    NO_ANSWER,
    SLOW_FIRST_TOKEN,
    STREAM_CUT,
    STREAM_STALL,
    MALFORMED_CHUNK,
    CONTEXT_LENGTH,
    CONTENT_FILTER
}
