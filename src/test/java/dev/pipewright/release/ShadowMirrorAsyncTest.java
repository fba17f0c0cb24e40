package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow copies on virtual threads, as in production: the live request never waits for them, copies beyond {@code
 * max_in_flight} are dropped rather than queued, and every copy that ran is paired once it ends.
 */
class ShadowMirrorAsyncTest {
    private static final String CONFIG = """
            providers: {sim: {kind: simulated}}
            models:
              fast: {provider: sim, model: sim-fast-2025-01-01, simulation: {latency: 20ms}}
              slow: {provider: sim, model: sim-slow-2025-01-01, simulation: {latency: 40ms}}
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
                        label: {model: slow, prompt: "Classify into technical, business: {{input.text}}"}
                shadow: {candidate: next, share: 1.0, max_per_second: 1000, max_in_flight: %d}
            """;

    @TempDir
    Path folder;

    @Test
    void shadow_copies_run_on_their_own_threads_and_are_all_paired() {
        // given shadow runs on virtual threads, with room for every copy
        try (ReleaseHarness replica = harness(64, java.util.function.UnaryOperator.identity())) {
            // when
            for (int i = 0; i < 20; i++) {
                assertThat(replica.serve("triage", "user-" + i)).isEqualTo("stable");
            }

            // then
            await().atMost(Duration.ofSeconds(20)).until(() -> pairs(replica).size() == 20);
            assertThat(pairs(replica))
                    .allSatisfy(pair -> assertThat(pair.candidateOutput()).isPresent());
            assertThat(shadowRuns(replica, "succeeded")).isEqualTo(20);
            assertThat(shadowRuns(replica, "dropped")).isZero();
        }
    }

    @Test
    void the_caller_does_not_wait_for_a_stuck_candidate_and_copies_beyond_the_limit_are_dropped() throws Exception {
        // given a candidate model that answers only once released, and room for two copies in flight
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        try (ReleaseHarness replica = harness(2, simulator -> new HeldModel(simulator, release, entered))) {
            // when five live requests are served while the candidate is stuck
            for (int i = 0; i < 5; i++) {
                assertThat(replica.serve("triage", "user-" + i)).isEqualTo("stable");
            }

            // then every live request was answered, two copies wait on the candidate and three were dropped
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(shadowRuns(replica, "dropped")).isEqualTo(3);
            assertThat(pairs(replica)).isEmpty();

            // and once the candidate answers, the two are paired and the limit takes copies again
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> pairs(replica).size() == 2);
            replica.serve("triage", "user-after");
            await().atMost(Duration.ofSeconds(20)).until(() -> pairs(replica).size() == 3);
        }
    }

    private ReleaseHarness harness(int maxInFlight, java.util.function.UnaryOperator<ModelClient> models) {
        return new ReleaseHarness(
                CONFIG.formatted(maxInFlight),
                "jdbc:sqlite:" + folder.resolve("release.db"),
                new FakeClock(),
                Executors.newVirtualThreadPerTaskExecutor(),
                models);
    }

    private static List<Pair> pairs(ReleaseHarness replica) {
        return replica.releases
                .store()
                .pairs("triage", Pair.SHADOW, Instant.EPOCH, Instant.now().plus(Duration.ofDays(3650)), 1000);
    }

    private static double shadowRuns(ReleaseHarness replica, String outcome) {
        var counter = replica.registry
                .find("pipewright.release.shadow.runs")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The simulator, with the candidate's model held until {@code release} opens. */
    private record HeldModel(ModelClient simulator, CountDownLatch release, CountDownLatch entered)
            implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            if (options.model().startsWith("sim-slow")) {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the candidate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while held", e);
                }
            }
            return simulator.chat(request, options);
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            return simulator.embed(request, options);
        }
    }
}
