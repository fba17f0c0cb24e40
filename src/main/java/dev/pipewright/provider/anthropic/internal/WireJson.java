package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The adapter's one JSON mapper; thread safe once configured. */
final class WireJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private WireJson() {}
}
