package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.testing.FakeClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShadowAndReplayTest {
    private static final String CONFIG = """
            providers: {sim: {kind: simulated}}
            models:
              fast:
                provider: sim
                model: sim-fast-2025-01-01
                price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                simulation: {latency: 20ms}
              pricey:
                provider: sim
                model: sim-pricey-2025-01-01
                price: {input_per_mtok: 3.00, output_per_mtok: 6.00}
                simulation: {latency: 40ms}
            pipelines:
              triage:
                steps:
                  label: {model: fast, prompt: "Classify into technical, business: {{input.text}}"}
            deployments:
              triage:
                candidates:
                  next:
                    pipeline:
                      steps:
                        label: {model: pricey, prompt: "Classify into technical, business: {{input.text}}"}
                shadow: {candidate: next, share: 1.0, max_per_second: 1000}
                record: {share: 1.0, retention: 1h}
            """;

    @TempDir
    Path folder;

    @Test
    void shadow_copies_are_paired_with_the_live_answers_and_compared() {
        try (ReleaseHarness replica = harness()) {
            // when every live run is stable and mirrored to the candidate
            for (int i = 0; i < 20; i++) {
                assertThat(replica.serve("triage", "user-" + i)).isEqualTo("stable");
            }

            // then each gets a pair; same prompt on another model: same labels, twice the latency and three times the
            // cost
            assertThat(pairs(replica, Pair.SHADOW)).hasSize(20);
            ObjectNode report = ComparisonReport.of(pairs(replica, Pair.SHADOW), Optional.empty());
            assertThat(report.get("candidate_failures").asInt()).isZero();
            assertThat(report.get("exact_match").asDouble()).isEqualTo(1.0);
            assertThat(report.get("classification_agreement").asDouble()).isEqualTo(1.0);
            assertThat(report.get("latency_ms").get("mean_delta").asDouble()).isPositive();
            assertThat(report.get("cost_usd").get("relative_delta").asDouble())
                    .isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(replica.registry
                            .get("pipewright.release.shadow.runs")
                            .tag("outcome", "succeeded")
                            .counter()
                            .count())
                    .isEqualTo(20);
        }
    }

    @Test
    void recorded_requests_replay_against_a_candidate_into_the_same_report() {
        try (ReleaseHarness replica = harness()) {
            // given recorded live traffic
            Instant from = replica.clock.instant();
            for (int i = 0; i < 10; i++) {
                replica.serve("triage", "user-" + i);
            }
            replica.releases.tick();

            // when
            List<Pair> pairs = new Replay(replica.executor, replica.releases.store(), replica.clock)
                    .replay(
                            "triage",
                            new dev.pipewright.router.Variant(
                                    "next",
                                    replica.config
                                            .deployments()
                                            .get("triage")
                                            .candidates()
                                            .get("next")
                                            .pipeline()),
                            "v",
                            from,
                            replica.clock.instant().plusSeconds(1),
                            100,
                            "test");

            // then
            assertThat(pairs).hasSize(10);
            ObjectNode report = ComparisonReport.of(pairs, Optional.of(text -> new float[] {1, text.length()}));
            assertThat(report.get("exact_match").asDouble()).isEqualTo(1.0);
            assertThat(report.get("embedding_similarity").asDouble())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(ComparisonReport.text(report)).contains("pairs 10, candidate failures 0", "exact match");
        }
    }

    /**
     * Shadow runs on the calling thread, after the live run has been served: the fake clock then moves in one order
     * only. That the caller does not wait for them is measured by bench/shadow, on real threads and a real clock.
     */
    private ReleaseHarness harness() {
        return new ReleaseHarness(
                CONFIG, "jdbc:sqlite:" + folder.resolve("release.db"), new FakeClock(), new DirectExecutor());
    }

    private static final class DirectExecutor extends java.util.concurrent.AbstractExecutorService {
        private volatile boolean shut;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shut = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shut = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shut;
        }

        @Override
        public boolean isTerminated() {
            return shut;
        }

        @Override
        public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
            return true;
        }
    }

    private static List<Pair> pairs(ReleaseHarness replica, String source) {
        return replica.releases
                .store()
                .pairs("triage", source, Instant.EPOCH, Instant.now().plusSeconds(86_400 * 365 * 10L), 1000);
    }
}
