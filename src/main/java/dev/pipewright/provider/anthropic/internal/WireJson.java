package dev.pipewright.provider.anthropic.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;

/** The adapter's one JSON mapper; thread safe once configured. */
final class WireJson {
    static final ObjectMapper MAPPER = Json.mapper();

    private WireJson() {}
}
