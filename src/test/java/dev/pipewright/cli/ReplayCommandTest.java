package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import dev.pipewright.release.Pair;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.Releases;
import dev.pipewright.release.ServedRun;
import dev.pipewright.router.Variant;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipewright replay} end to end: live runs on the simulator are recorded (only for the pipeline that opted in),
 * then a window of them is replayed against the candidate and compared with the recorded answers.
 */
class ReplayCommandTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private Path configFile;
    private PipewrightConfig config;

    private record Outcome(int exitCode, String out, String err) {}

    @BeforeEach
    void recordLiveTraffic() throws Exception {
        // given two deployed pipelines, only triage recording its requests; its candidate asks the same of a model
        // that costs three times as much
        configFile = dir.resolve("pipewright.yaml");
        Files.writeString(configFile, """
                providers: {sim: {kind: simulated}}
                models:
                  fast:
                    provider: sim
                    model: sim-fast-2025-01-01
                    price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                    simulation: {latency: 1ms}
                  pricey:
                    provider: sim
                    model: sim-pricey-2025-01-01
                    price: {input_per_mtok: 3.00, output_per_mtok: 6.00}
                    simulation: {latency: 1ms}
                pipelines:
                  triage:
                    steps:
                      label: {model: fast, prompt: "Classify into technical, business: {{input.text}}"}
                  quiet:
                    steps:
                      label: {model: fast, prompt: "Classify into technical, business: {{input.text}}"}
                deployments:
                  triage:
                    candidates:
                      next:
                        pipeline:
                          steps:
                            label: {model: pricey, prompt: "Classify into technical, business: {{input.text}}"}
                    record: {share: 1.0, retention: 720h}
                  quiet:
                    candidates:
                      next:
                        pipeline:
                          steps:
                            label: {model: pricey, prompt: "Classify into technical, business: {{input.text}}"}
                storage: {url: "jdbc:sqlite:%s"}
                """.formatted(dir.resolve("pipewright.db")));
        config = ConfigLoader.load(configFile);
        FakeClock clock = new FakeClock(START);
        try (Engine engine = Engine.start(config);
                Database database = Database.open(config.storage());
                Releases releases = new Releases(
                        ReleaseStore.open(database),
                        () -> config,
                        engine.executor(),
                        new SimpleMeterRegistry(),
                        clock,
                        new SplittableRandom(1))) {
            // when six requests to each are served, one a minute; then the buffered recordings are written
            for (int i = 0; i < 6; i++) {
                serve(engine, releases, "triage", "req-" + i, "ticket " + i);
                serve(engine, releases, "quiet", "quiet-" + i, "ticket " + i);
                clock.advance(Duration.ofMinutes(1));
            }
            releases.tick();
        }
    }

    @Test
    void a_window_of_recorded_requests_replays_against_the_candidate_into_the_comparison_report() throws Exception {
        // when the first four minutes are replayed against the candidate
        Outcome outcome = replay(
                "triage", "next", "--to", START.plus(Duration.ofSeconds(230)).toString(), "--json");

        // then four recordings ran again: same labels, three times the cost
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(outcome.out());
        assertThat(report.get("pairs").asInt()).isEqualTo(4);
        assertThat(report.get("candidate_failures").asInt()).isZero();
        assertThat(report.get("exact_match").asDouble()).isEqualTo(1.0);
        assertThat(report.get("classification_agreement").asDouble()).isEqualTo(1.0);
        assertThat(report.get("classification_pairs").asInt()).isEqualTo(4);
        assertThat(report.get("cost_usd").get("relative_delta").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(report.get("cost_usd").get("baseline_mean").asDouble()).isPositive();
        // and the pairs are stored as replays of the candidate's version
        try (Database database = Database.open(config.storage())) {
            List<Pair> pairs = ReleaseStore.open(database)
                    .pairs("triage", Pair.REPLAY, Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)), 100);
            String candidateVersion = PipelineVersion.of(
                    config.deployments()
                            .get("triage")
                            .candidate("next")
                            .orElseThrow()
                            .pipeline(),
                    config::model);
            assertThat(pairs)
                    .hasSize(4)
                    .allSatisfy(pair -> assertThat(pair.version()).isEqualTo(candidateVersion))
                    .extracting(Pair::requestId)
                    .containsExactlyInAnyOrder("req-0", "req-1", "req-2", "req-3");
        }
    }

    @Test
    void the_text_report_of_a_replay_names_its_figures() {
        // when
        Outcome outcome =
                replay("triage", "next", "--to", START.plus(Duration.ofHours(1)).toString());

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out())
                .contains(
                        "pairs 6, candidate failures 0",
                        "exact match               1.000",
                        "embedding similarity      n/a",
                        "classification agreement  1.000",
                        "delta +200.0%");
    }

    @Test
    void a_pipeline_that_did_not_opt_in_has_nothing_to_replay() {
        // when
        Outcome outcome =
                replay("quiet", "next", "--to", START.plus(Duration.ofHours(1)).toString());

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("pairs 0, candidate failures 0");
    }

    @Test
    void an_unknown_version_exits_two_naming_it() {
        // when
        Outcome outcome =
                replay("triage", "nope", "--to", START.plus(Duration.ofHours(1)).toString());

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("no version 'nope' of pipeline 'triage'");
    }

    private Outcome replay(String pipeline, String version, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "replay",
                pipeline,
                "--config",
                configFile.toString(),
                "--from",
                START.toString(),
                "--version",
                version,
                "--no-embeddings"));
        args.addAll(List.of(more));
        return execute(args.toArray(String[]::new));
    }

    /** Runs the stable version as the gateway would and tells releases what was served. */
    private void serve(Engine engine, Releases releases, String pipeline, String requestId, String text) {
        Variant variant = new Variant(Variant.STABLE, config.pipelines().get(pipeline));
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("text", text);
        PipelineResult result = engine.executor()
                .run(variant.pipeline(), input, RunContext.of(requestId, "acme").withVariant("stable"));
        ObjectNode results = JsonNodeFactory.instance.objectNode();
        result.results().forEach(results::set);
        releases.served(new ServedRun(
                variant,
                PipelineVersion.of(variant.pipeline(), config::model),
                "acme",
                requestId,
                input,
                Optional.of(results),
                result.latency(),
                result.costUsd()));
    }

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
