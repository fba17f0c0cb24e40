package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.Attempt;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.RetryAfterHeader;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryInterceptorTest {
    private static final ModelError.Unavailable OVERLOADED =
            new ModelError.Unavailable("overloaded", 529, Optional.empty());

    @Test
    void retries_after_the_delay_the_provider_asked_for_in_seconds() {
        try (Harness harness = new Harness()) {
            // given
            Duration asked =
                    RetryAfterHeader.parse("7", harness.clock.instant()).orElseThrow();
            ScriptedModelClient primary = harness.add(model("primary").attempts(3));
            primary.fails(new ModelError.RateLimited("slow down", Optional.of(asked)))
                    .answers();

            // when
            ModelResult result = harness.call("primary");

            // then
            assertThat(result.answeredBy()).isEqualTo("primary");
            assertThat(harness.clock.sleeps())
                    .singleElement()
                    .satisfies(wait -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
            assertThat(result.attempts().get(1).waitedBefore())
                    .isEqualTo(harness.clock.sleeps().getFirst());
        }
    }

    @Test
    void retries_after_the_delay_the_provider_asked_for_as_an_http_date() {
        try (Harness harness = new Harness()) {
            // given
            String inFortyFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    harness.clock.instant().plusSeconds(45).atZone(ZoneOffset.UTC));
            Duration asked = RetryAfterHeader.parse(inFortyFiveSeconds, harness.clock.instant())
                    .orElseThrow();
            ScriptedModelClient primary = harness.add(model("primary").attempts(2));
            primary.fails(new ModelError.Unavailable("maintenance", 503, Optional.of(asked)))
                    .answers();

            // when
            harness.call("primary");

            // then
            assertThat(asked).isEqualTo(Duration.ofSeconds(45));
            assertThat(harness.clock.sleeps()).containsExactly(Duration.ofSeconds(45));
            assertThat(primary.calls()).isEqualTo(2);
        }
    }

    @Test
    void a_longer_backoff_wins_over_a_shorter_retry_after() {
        try (Harness harness = new Harness()) {
            // given a back-off of at least 1s after the first failure
            harness.add(model("primary").retry(2, Duration.ofSeconds(2), Duration.ofSeconds(8)))
                    .fails(new ModelError.RateLimited("slow down", Optional.of(Duration.ofMillis(10))))
                    .answers();

            // when
            harness.call("primary");

            // then
            assertThat(harness.clock.sleeps()).containsExactly(Duration.ofSeconds(1));
        }
    }

    @Test
    void backs_off_exponentially_with_equal_jitter_up_to_the_cap() {
        try (Harness harness = new Harness(new SplittableRandom(42))) {
            // given
            harness.add(model("primary").retry(7, Duration.ofMillis(100), Duration.ofMillis(1000)))
                    .fails(OVERLOADED);

            // when
            harness.failure("primary");

            // then each wait lies between half and all of min(100ms * 2^(n-1), 1s)
            List<Duration> sleeps = harness.clock.sleeps();
            List<Long> capped = List.of(100L, 200L, 400L, 800L, 1000L, 1000L);
            assertThat(sleeps).hasSize(capped.size());
            for (int i = 0; i < capped.size(); i++) {
                assertThat(sleeps.get(i))
                        .as("wait before attempt %d", i + 2)
                        .isBetween(Duration.ofMillis(capped.get(i) / 2), Duration.ofMillis(capped.get(i)));
            }
            assertThat(sleeps.subList(0, 4)).as("the jitter draws differ").doesNotHaveDuplicates();
        }
    }

    @Test
    void the_smallest_jitter_still_waits_half_of_the_backoff() {
        try (Harness harness = new Harness(Harness.LOWEST_JITTER)) {
            // given
            harness.add(model("primary").retry(5, Duration.ofMillis(100), Duration.ofMillis(500)))
                    .fails(OVERLOADED);

            // when
            harness.failure("primary");

            // then
            assertThat(harness.clock.sleeps())
                    .containsExactly(
                            Duration.ofMillis(50),
                            Duration.ofMillis(100),
                            Duration.ofMillis(200),
                            Duration.ofMillis(250));
        }
    }

    @Test
    void the_largest_jitter_waits_no_longer_than_the_capped_backoff() {
        try (Harness harness = new Harness(() -> -1L)) {
            // given
            harness.add(model("primary").retry(4, Duration.ofMillis(100), Duration.ofMillis(300)))
                    .fails(OVERLOADED);

            // when
            harness.failure("primary");

            // then
            assertThat(harness.clock.sleeps())
                    .hasSize(3)
                    .allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(300)));
            assertThat(harness.clock.sleeps().get(0)).isGreaterThan(Duration.ofMillis(99));
            assertThat(harness.clock.sleeps().get(2)).isGreaterThan(Duration.ofMillis(299));
        }
    }

    @Test
    void never_retries_a_400_class_error_on_the_same_model() {
        try (Harness harness = new Harness()) {
            // given
            ScriptedModelClient primary = harness.add(model("primary").attempts(5));
            primary.fails(new ModelError.InvalidRequest("temperature: must be <= 2"));

            // when
            ModelCallException failure = harness.failure("primary");

            // then
            assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
            assertThat(primary.calls()).isEqualTo(1);
            assertThat(harness.clock.sleeps()).isEmpty();
        }
    }

    @Test
    void retries_keep_the_idempotency_key_and_number_the_attempts() {
        try (Harness harness = new Harness()) {
            // given
            ScriptedModelClient primary = harness.add(model("primary").attempts(3));
            primary.fails(OVERLOADED, OVERLOADED).answers();

            // when
            ModelResult result = harness.call("primary");

            // then
            assertThat(result.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
            assertThat(primary.options())
                    .extracting(options -> options.idempotencyKey())
                    .containsOnly("idem-1");
        }
    }
}
