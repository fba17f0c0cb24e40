package dev.pipewright.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.jobs.TestDatabases;
import dev.pipewright.testing.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas sharing one PostgreSQL schema: one variant per user on both, and one state for both. */
class StickyAcrossReplicasIT {
    private String url;
    private ReleaseHarness first;
    private ReleaseHarness second;

    @BeforeEach
    void start() {
        url = TestDatabases.freshPostgresSchema("release");
        first = new ReleaseHarness(CanaryRolloutTest.config("fast"), url, new FakeClock());
        second = new ReleaseHarness(CanaryRolloutTest.config("fast"), url, new FakeClock());
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        TestDatabases.dropPostgresSchema(url);
    }

    @Test
    void a_user_sees_the_same_variant_on_both_replicas_as_the_canary_grows() {
        // given a canary at 10% seen by both replicas
        List<String> users = users(400);
        List<String> onFirst = assign(first, users);
        List<String> onSecond = assign(second, users);
        assertThat(onSecond).isEqualTo(onFirst);
        assertThat(onFirst).contains("next", "stable");

        // when the first replica's analysis moves the canary to 50% and the second reads the shared state
        for (int round = 0; round < 60 && weight(first) < 50; round++) {
            assign(first, users(50));
            first.releases.tick();
        }
        second.releases.tick();

        // then the step is taken once, both replicas agree on it, and every user who had the candidate keeps it
        assertThat(weight(first)).isEqualTo(50);
        assertThat(weight(second)).isEqualTo(50);
        List<String> grownFirst = assign(first, users);
        List<String> grownSecond = assign(second, users);
        assertThat(grownSecond).isEqualTo(grownFirst);
        for (int i = 0; i < users.size(); i++) {
            if (onFirst.get(i).equals("next")) {
                assertThat(grownFirst.get(i)).isEqualTo("next");
            }
        }
        assertThat(grownFirst.stream().filter("next"::equals).count())
                .isGreaterThan(onFirst.stream().filter("next"::equals).count());
    }

    @Test
    void a_rollback_on_one_replica_takes_effect_on_the_other() {
        // when
        ActionOutcome outcome =
                first.releases.control().act("answer", DeploymentAction.ROLLBACK, Optional.empty(), "master", "test");
        second.releases.tick();

        // then
        assertThat(outcome).isInstanceOf(ActionOutcome.Done.class);
        assertThat(second.deployment("answer").get("state").asText()).isEqualTo("rolled_back");
        assertThat(assign(second, users(200))).containsOnly("stable");
    }

    private static List<String> users(int count) {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add("user-" + i);
        }
        return users;
    }

    private static List<String> assign(ReleaseHarness replica, List<String> users) {
        return users.stream().map(user -> replica.serve("answer", user)).toList();
    }

    private static double weight(ReleaseHarness replica) {
        return replica.deployment("answer").get("canary").get("weight").asDouble();
    }
}
