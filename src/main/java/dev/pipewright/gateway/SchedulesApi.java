package dev.pipewright.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The schedules behind {@code GET /v1/schedules} and {@code POST /v1/schedules/{name}/run}. Thread safe. */
public interface SchedulesApi {

    /** {@code {"schedules": [{name, cron, zone, pipeline, next_fire, last_run: {...}|null}]}}. */
    JsonNode list();

    /** Runs the schedule now, by {@code by}; empty when there is no schedule of that name. */
    Optional<JsonNode> run(String name, String by);
}
