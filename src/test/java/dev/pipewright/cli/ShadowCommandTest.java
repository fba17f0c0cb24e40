package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.provider.local.LocalEmbedder;
import dev.pipewright.release.Pair;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.release.eval.Evaluation;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipewright shadow report NAME} end to end on an embedded SQLite store holding prepared shadow pairs: every
 * figure it prints is worked out here from the pairs.
 */
class ShadowCommandTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();

    @TempDir
    Path dir;

    private Path config;

    private record Outcome(int exitCode, String out, String err) {}

    @BeforeEach
    void storePairs() throws Exception {
        // given a deployment whose candidate answered three shadow copies of four (one the same, one the same label
        // written differently, one another label) and failed the fourth
        config = dir.resolve("pipewright.yaml");
        Files.writeString(config, """
                providers: {sim: {kind: simulated}}
                models:
                  chat: {provider: sim, model: sim-chat-2025-01-01}
                pipelines:
                  triage:
                    steps:
                      label: {model: chat, prompt: "Classify: {{input.text}}"}
                deployments:
                  triage:
                    candidates:
                      next:
                        pipeline:
                          steps:
                            label: {model: chat, prompt: "Classify this: {{input.text}}"}
                storage: {url: "jdbc:sqlite:%s"}
                """.formatted(dir.resolve("release.db")));
        Instant now = Instant.now();
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + dir.resolve("release.db")))) {
            ReleaseStore store = ReleaseStore.open(database);
            store.pair(shadow(now, "r1", "technical", Optional.of("technical"), 100, 150, 0.001, 0.002));
            store.pair(shadow(now, "r2", "business", Optional.of("Business."), 200, 260, 0.001, 0.002));
            store.pair(shadow(now, "r3", "legal", Optional.of("creative"), 300, 330, 0.002, 0.004));
            store.pair(shadow(now, "r4", "legal", Optional.empty(), 400, 900, 0.002, 0.0));
            // and pairs the report leaves out: a replay, and a shadow copy older than the window
            store.pair(new Pair(
                    "triage",
                    "next",
                    "v2",
                    Pair.REPLAY,
                    now,
                    "r5",
                    label("legal"),
                    Optional.of(label("x")),
                    Optional.empty(),
                    1,
                    1,
                    1,
                    1));
            store.pair(shadow(now.minus(Duration.ofDays(2)), "r6", "legal", Optional.of("x"), 1, 1, 1, 1));
        }
    }

    @Test
    void the_report_compares_the_shadow_pairs_of_the_window_on_every_measure() {
        // when
        Outcome outcome = execute("shadow", "report", "triage", "--config", config.toString());

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        double similarity =
                (cosine("technical", "technical") + cosine("business", "Business.") + cosine("legal", "creative")) / 3;
        assertThat(similarity).isBetween(0.3, 0.99);
        assertThat(outcome.out())
                .contains(
                        "pairs 4, candidate failures 1",
                        "exact match               0.333",
                        "embedding similarity      " + String.format(Locale.ROOT, "%.3f", similarity),
                        "classification agreement  0.667",
                        "baseline p50 200 p95 400 | candidate p50 260 p95 900 | mean delta +160.0",
                        "baseline $0.00150000 | candidate $0.00200000 | delta +33.3%");
    }

    @Test
    void the_json_report_carries_the_same_figures_and_skips_embeddings_when_asked() throws Exception {
        // when
        Outcome outcome =
                execute("shadow", "report", "triage", "--config", config.toString(), "--json", "--no-embeddings");

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(outcome.out());
        assertThat(report.get("pairs").asInt()).isEqualTo(4);
        assertThat(report.get("candidate_failures").asInt()).isEqualTo(1);
        assertThat(report.get("exact_match").asDouble()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(report.get("classification_agreement").asDouble()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(report.get("classification_pairs").asInt()).isEqualTo(3);
        assertThat(report.get("embedding_similarity").isNull()).isTrue();
        assertThat(report.get("latency_ms").get("mean_delta").asDouble()).isCloseTo(160.0, within(1e-9));
        assertThat(report.get("cost_usd").get("relative_delta").asDouble()).isCloseTo(1.0 / 3, within(1e-9));
    }

    @Test
    void a_deployment_without_shadow_pairs_reports_nothing_to_compare() {
        // when
        Outcome outcome = execute("shadow", "report", "other", "--config", config.toString(), "--no-embeddings");

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out())
                .contains(
                        "pairs 0, candidate failures 0",
                        "exact match               n/a",
                        "classification agreement  n/a");
    }

    private static Pair shadow(
            Instant at,
            String requestId,
            String baseline,
            Optional<String> candidate,
            long baselineMs,
            long candidateMs,
            double baselineUsd,
            double candidateUsd) {
        return new Pair(
                "triage",
                "next",
                "v2",
                Pair.SHADOW,
                at,
                requestId,
                label(baseline),
                candidate.map(ShadowCommandTest::label),
                candidate.isPresent() ? Optional.empty() : Optional.of("server_error: upstream 500"),
                baselineMs,
                candidateMs,
                baselineUsd,
                candidateUsd);
    }

    private static String label(String text) {
        return "{\"label\":\"" + text + "\"}";
    }

    private static double cosine(String a, String b) {
        return Evaluation.cosine(EMBEDDER.embed(a), EMBEDDER.embed(b));
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
