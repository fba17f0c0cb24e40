package dev.pipewright.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelRouterTest {
    private static final PipewrightConfig CONFIG = ConfigLoader.parse("""
            providers:
              sim: {kind: simulated}
              hosted: {kind: openai, api_key_env: KEY}
            models:
              a: {provider: hosted, model: gpt-4o-2024-08-06, price: {input_per_mtok: 2.50, output_per_mtok: 10.00}}
              b: {provider: hosted, model: gpt-4o-mini-2024-07-18, price: {input_per_mtok: 0.15, output_per_mtok: 0.60}}
              c: {provider: sim, model: c-1, fallbacks: [a]}
            model_groups:
              weighted: {strategy: weighted, members: [{model: a, weight: 3}, {model: b, weight: 1}]}
              least-busy: {strategy: least-busy, members: [a, b, c]}
              lowest-latency: {strategy: lowest-latency, members: [a, b, c]}
              cheapest: {strategy: cheapest-healthy, members: [a, b, c]}
            """, "t.yaml");

    private final FakeClock clock = new FakeClock();
    private final ModelHealth health = new ModelHealth();
    private final Set<String> down = new HashSet<>();

    private ModelRouter router(long seed) {
        return new ModelRouter(() -> CONFIG, health, alias -> !down.contains(alias), clock, new SplittableRandom(seed));
    }

    @Test
    void a_model_alias_routes_to_itself() {
        assertThat(router(1).resolve("c")).hasValue(new Route("c", List.of()));
    }

    @Test
    void an_unknown_name_routes_nowhere() {
        assertThat(router(1).resolve("gpt-5")).isEmpty();
    }

    @Test
    void weighted_picks_members_in_proportion_to_their_weights() {
        // given
        ModelRouter router = router(42);
        Map<String, Integer> picks = new LinkedHashMap<>();

        // when
        for (int i = 0; i < 4000; i++) {
            picks.merge(router.resolve("weighted").orElseThrow().alias(), 1, Integer::sum);
        }

        // then: 3:1 within a few percent
        assertThat(picks.get("a")).isBetween(2850, 3150);
        assertThat(picks.get("b")).isBetween(850, 1150);
    }

    @Test
    void weighted_with_the_same_seed_picks_the_same_sequence() {
        // given
        ModelRouter first = router(7);
        ModelRouter second = router(7);

        // when / then
        for (int i = 0; i < 50; i++) {
            assertThat(first.resolve("weighted")).isEqualTo(second.resolve("weighted"));
        }
    }

    @Test
    void weighted_never_picks_a_member_that_is_down() {
        // given
        down.add("a");
        ModelRouter router = router(3);

        // when / then
        for (int i = 0; i < 100; i++) {
            assertThat(router.resolve("weighted")).hasValue(new Route("b", List.of()));
        }
    }

    @Test
    void least_busy_picks_the_member_with_the_fewest_calls_in_flight() {
        // given
        ModelRouter router = router(1);
        try (var first = router.acquire("a");
                var second = router.acquire("b");
                var third = router.acquire("a")) {
            // when
            Route route = router.resolve("least-busy").orElseThrow();

            // then: c has none in flight; b has one, a two
            assertThat(route).isEqualTo(new Route("c", List.of("b")));
        }
        assertThat(router.inFlight("a")).isZero();
    }

    @Test
    void a_lease_closed_twice_counts_once() {
        // given
        ModelRouter router = router(1);
        ModelRouter.Lease lease = router.acquire("a");
        router.acquire("a");

        // when
        lease.close();
        lease.close();

        // then
        assertThat(router.inFlight("a")).isEqualTo(1);
    }

    @Test
    void lowest_latency_follows_the_moving_average_of_observed_latency() {
        // given
        ModelRouter router = router(1);
        router.recordOutcome("a", Duration.ofMillis(300), true);
        router.recordOutcome("b", Duration.ofMillis(100), true);
        router.recordOutcome("c", Duration.ofMillis(200), true);

        // when
        Route before = router.resolve("lowest-latency").orElseThrow();
        for (int i = 0; i < 5; i++) {
            router.recordOutcome("b", Duration.ofMillis(900), true);
        }
        Route after = router.resolve("lowest-latency").orElseThrow();

        // then: c's own fallback a is not repeated as an alternative
        assertThat(before).isEqualTo(new Route("b", List.of("c", "a")));
        assertThat(after).isEqualTo(new Route("c", List.of("b")));
    }

    @Test
    void lowest_latency_tries_a_member_never_measured_first() {
        // given
        ModelRouter router = router(1);
        router.recordOutcome("a", Duration.ofMillis(50), true);
        router.recordOutcome("b", Duration.ofMillis(10), true);

        // when / then
        assertThat(router.resolve("lowest-latency").orElseThrow().alias()).isEqualTo("c");
    }

    @Test
    void cheapest_healthy_skips_members_whose_circuit_is_open() {
        // given: c has no price (a simulated model), so it is the cheapest
        ModelRouter router = router(1);

        // when
        Route allUp = router.resolve("cheapest").orElseThrow();
        down.add("c");
        Route cDown = router.resolve("cheapest").orElseThrow();

        // then
        assertThat(allUp).isEqualTo(new Route("c", List.of("b")));
        assertThat(cDown).isEqualTo(new Route("b", List.of("a")));
    }

    @Test
    void when_every_member_is_down_the_strategy_picks_among_all_of_them() {
        // given
        down.addAll(Set.of("a", "b", "c"));

        // when / then
        assertThat(router(1).resolve("cheapest")).hasValue(new Route("c", List.of("b")));
    }

    @Test
    void a_failed_outcome_is_recorded_as_health_without_changing_the_latency() {
        // given
        ModelRouter router = router(1);
        router.recordOutcome("a", Duration.ofMillis(40), true);

        // when
        clock.advance(Duration.ofSeconds(5));
        router.recordOutcome("a", Duration.ofSeconds(30), false);

        // then
        ModelHealth.Observation observed = health.observed("a");
        assertThat(observed.lastFailure()).hasValue(clock.instant());
        assertThat(observed.averageLatency()).hasValue(Duration.ofMillis(40));
    }
}
