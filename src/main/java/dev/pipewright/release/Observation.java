package dev.pipewright.release;

import java.util.OptionalDouble;

/**
 * One served run as canary analysis sees it: whether it failed, how long it took, what it cost, and the online
 * quality score fed back for it, if any.
 */
record Observation(boolean failed, long latencyMs, double costUsd, OptionalDouble quality) {}
