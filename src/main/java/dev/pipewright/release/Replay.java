package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Clock;
import dev.pipewright.model.Json;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.router.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays recorded requests of a window against a version, offline, one at a time: each recording's answer is the
 * baseline, the version's run the candidate, and the pairs are stored (source {@code replay}) for the same report as
 * shadow mode. Recordings that had failed are skipped: there is no answer to compare with.
 */
public final class Replay {
    private static final ObjectMapper JSON = Json.mapper();

    private final PipelineExecutor executor;
    private final ReleaseStore store;
    private final Clock clock;

    public Replay(PipelineExecutor executor, ReleaseStore store, Clock clock) {
        this.executor = executor;
        this.store = store;
        this.clock = clock;
    }

    public List<Pair> replay(
            String deployment, Variant variant, String version, Instant from, Instant to, int limit, String by) {
        Audit.write(
                "replay",
                by,
                "deployment " + deployment + " version " + variant.name(),
                clock.instant(),
                "recordings from " + from + " to " + to);
        List<Pair> pairs = new ArrayList<>();
        for (Recording recording : store.recordings(deployment, from, to, limit)) {
            if (recording.output().isEmpty()) {
                continue;
            }
            Pair pair = run(deployment, variant, version, recording);
            store.pair(pair);
            pairs.add(pair);
        }
        return pairs;
    }

    private Pair run(String deployment, Variant variant, String version, Recording recording) {
        RunContext context = RunContext.of(recording.requestId() + ":replay", recording.tenant())
                .withVariant("replay:" + variant.name());
        long start = clock.nanoTime();
        Optional<String> output = Optional.empty();
        Optional<String> error = Optional.empty();
        double cost;
        try {
            PipelineResult result = executor.run(variant.pipeline(), parse(recording.input()), context);
            output = Optional.of(PipelineResultJson.results(result).toString());
            cost = result.costUsd().doubleValue();
        } catch (PipelineFailedException failed) {
            error = Optional.of(failed.getMessage());
            cost = failed.partial().costUsd().doubleValue();
        } catch (RuntimeException failed) {
            error = Optional.of(failed.toString());
            cost = 0;
        }
        return new Pair(
                deployment,
                variant.name(),
                version,
                Pair.REPLAY,
                clock.instant(),
                recording.requestId(),
                recording.output().orElseThrow(),
                output,
                error,
                recording.latencyMs(),
                Duration.ofNanos(clock.nanoTime() - start).toMillis(),
                recording.costUsd(),
                cost);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a recorded input is not JSON", e);
        }
    }
}
