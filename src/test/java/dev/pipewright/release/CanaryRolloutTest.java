package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanaryRolloutTest {
    private static final Duration STEP = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    static String config(String candidateModel) {
        return """
                providers: {sim: {kind: simulated}}
                models:
                  fast:
                    provider: sim
                    model: sim-fast-2025-01-01
                    price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                    simulation: {latency: 50ms, jitter: 5ms}
                  flaky:
                    provider: sim
                    model: sim-flaky-2025-01-01
                    price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                    simulation: {latency: 50ms, jitter: 5ms, fault: server-error, fault_rate: 0.3}
                  slow:
                    provider: sim
                    model: sim-slow-2025-01-01
                    price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                    simulation: {latency: 120ms, jitter: 10ms}
                pipelines:
                  answer:
                    steps:
                      reply: {model: fast, prompt: "Answer: {{input.text}}"}
                deployments:
                  answer:
                    sticky: header:x-user-id
                    candidates:
                      next:
                        pipeline:
                          steps:
                            reply: {model: %s, prompt: "Reply: {{input.text}}"}
                        canary: {steps: [10, 50, 100], step_duration: 20s, min_samples: 30}
                """.formatted(candidateModel);
    }

    @Test
    void a_candidate_that_fails_more_often_is_rolled_back_within_its_first_step() {
        // given a canary at 10% whose model fails three calls in ten
        try (ReleaseHarness replica = harness("flaky")) {
            Instant started = replica.clock.instant();

            // when traffic flows and the background work runs every five seconds
            String state = drive(replica, 40);

            // then the analysis rolled it back on its own before its first step ended
            assertThat(state).isEqualTo("rolled_back");
            JsonNode rollback = lastDecision(replica);
            assertThat(rollback.get("action").asText()).isEqualTo("rollback");
            assertThat(rollback.get("by").asText()).isEqualTo("canary");
            assertThat(rollback.get("reason").asText()).contains("error rate worse");
            assertThat(rollback.get("numbers").get("candidate_error_rate").asDouble())
                    .isGreaterThan(
                            rollback.get("numbers").get("stable_error_rate").asDouble());
            assertThat(Instant.parse(rollback.get("at").asText())).isBefore(started.plus(STEP));
            // and no request reaches the candidate any more
            for (int i = 0; i < 200; i++) {
                assertThat(replica.serve("answer", "after-" + i)).isEqualTo("stable");
            }
        }
    }

    @Test
    void a_candidate_failing_in_asynchronous_jobs_is_rolled_back_as_when_it_serves_requests() {
        // given a canary at 10% whose model fails three calls in ten, and only jobs as traffic
        try (ReleaseHarness replica = harness("flaky")) {
            String state = replica.deployment("answer").get("state").asText();

            // when rounds of 50 jobs run, the background work after each
            for (int round = 0; round < 40 && state.equals("canary"); round++) {
                for (int i = 0; i < 50; i++) {
                    replica.runJob("answer", "job-user-" + round + "-" + i);
                }
                replica.releases.tick();
                state = replica.deployment("answer").get("state").asText();
            }

            // then the job runs were observed and judged like served ones
            assertThat(state).isEqualTo("rolled_back");
            JsonNode rollback = lastDecision(replica);
            assertThat(rollback.get("by").asText()).isEqualTo("canary");
            assertThat(rollback.get("reason").asText()).contains("error rate worse");
            assertThat(rollback.get("numbers").get("candidate_runs").asInt()).isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void a_slower_candidate_is_rolled_back_by_its_p95_latency() {
        // given a canary whose model takes 120 ms where the stable one takes 50 ms
        try (ReleaseHarness replica = harness("slow")) {
            // when
            String state = drive(replica, 40);

            // then
            assertThat(state).isEqualTo("rolled_back");
            JsonNode rollback = lastDecision(replica);
            assertThat(rollback.get("reason").asText()).contains("p95 latency worse");
            assertThat(rollback.get("numbers").get("candidate_p95_ms").asDouble())
                    .isGreaterThan(rollback.get("numbers")
                            .get("p95_latency_threshold_ms")
                            .asDouble());
        }
    }

    @Test
    void a_candidate_as_good_as_stable_goes_through_every_step_to_promotion() {
        // given a canary on the same model with another prompt
        try (ReleaseHarness replica = harness("fast")) {
            // when
            String state = drive(replica, 80);

            // then it advanced to 50%, then was promoted to 100%, each step with its numbers
            assertThat(state).isEqualTo("promoted");
            JsonNode history = replica.deployment("answer").get("history");
            assertThat(history.findValuesAsText("action")).containsExactly("deploy", "advance", "promote");
            assertThat(history.get(1).get("numbers").get("candidate_runs").asInt())
                    .isGreaterThanOrEqualTo(30);
            for (int i = 0; i < 100; i++) {
                assertThat(replica.serve("answer", "later-" + i)).isEqualTo("next");
            }
        }
    }

    private ReleaseHarness harness(String candidateModel) {
        return new ReleaseHarness(
                config(candidateModel), "jdbc:sqlite:" + folder.resolve("release.db"), new FakeClock());
    }

    /** Rounds of 50 requests from new users, the background work after each; the deployment's state at the end. */
    static String drive(ReleaseHarness replica, int maxRounds) {
        String state = replica.deployment("answer").get("state").asText();
        for (int round = 0; round < maxRounds && state.equals("canary"); round++) {
            for (int i = 0; i < 50; i++) {
                replica.serve("answer", "user-" + round + "-" + i);
            }
            replica.releases.tick();
            state = replica.deployment("answer").get("state").asText();
        }
        return state;
    }

    private static JsonNode lastDecision(ReleaseHarness replica) {
        JsonNode history = replica.deployment("answer").get("history");
        return history.get(history.size() - 1);
    }
}
