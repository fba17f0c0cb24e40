package dev.pipewright.resilience;

/** The state of one model's circuit, as health reporting shows it. */
public enum CircuitState {
    /** Calls go through and their outcomes are counted. */
    CLOSED,
    /** Calls are refused until the open period has passed; the fallbacks serve instead. */
    OPEN,
    /** A few probe calls go through to decide whether to close again or reopen. */
    HALF_OPEN
}
