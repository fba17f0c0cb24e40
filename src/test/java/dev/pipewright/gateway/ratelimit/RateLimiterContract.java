package dev.pipewright.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.Clock;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} does, on a fake clock; each implementation's test extends this class. */
abstract class RateLimiterContract {
    protected final FakeClock clock = new FakeClock();
    private RateLimiter limiter;
    private String tenant;

    /** A limiter on {@code clock} that shares no state with earlier tests. */
    protected abstract RateLimiter newLimiter(Clock clock);

    @BeforeEach
    void createLimiter() {
        limiter = newLimiter(clock);
        tenant = "t-" + UUID.randomUUID();
    }

    @AfterEach
    void closeLimiter() {
        limiter.close();
    }

    private static Limits requestsOnly(long rpm) {
        return new Limits(OptionalLong.of(rpm), OptionalLong.empty());
    }

    private static Limits tokensOnly(long tpm) {
        return new Limits(OptionalLong.empty(), OptionalLong.of(tpm));
    }

    private static Quota quota(Admission admission, Dimension dimension) {
        return admission.quotas().stream()
                .filter(quota -> quota.dimension() == dimension)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void admits_the_requests_per_minute_then_refuses_until_one_refills() {
        // given
        Limits limits = requestsOnly(3);

        // when
        Admission first = limiter.admit(tenant, limits, 0);
        limiter.admit(tenant, limits, 0);
        Admission third = limiter.admit(tenant, limits, 0);
        Admission fourth = limiter.admit(tenant, limits, 0);

        // then
        assertThat(first).isInstanceOf(Admission.Admitted.class);
        assertThat(quota(first, Dimension.REQUESTS).remaining()).isEqualTo(2);
        assertThat(quota(third, Dimension.REQUESTS).remaining()).isZero();
        assertThat(quota(third, Dimension.REQUESTS).reset()).isEqualTo(Duration.ofMinutes(1));
        assertThat(fourth).isInstanceOfSatisfying(Admission.Refused.class, refused -> {
            assertThat(refused.exhausted()).isEqualTo(Dimension.REQUESTS);
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        });
    }

    @Test
    void a_refused_tenant_passes_again_once_the_wait_has_passed() {
        // given
        Limits limits = requestsOnly(3);
        for (int i = 0; i < 3; i++) {
            limiter.admit(tenant, limits, 0);
        }
        Admission.Refused refused = (Admission.Refused) limiter.admit(tenant, limits, 0);

        // when
        clock.advance(refused.retryAfter());

        // then
        assertThat(limiter.admit(tenant, limits, 0)).isInstanceOf(Admission.Admitted.class);
        assertThat(limiter.admit(tenant, limits, 0)).isInstanceOf(Admission.Refused.class);
    }

    @Test
    void reserves_the_estimated_tokens_and_refuses_an_estimate_beyond_what_is_left() {
        // given
        Limits limits = Limits.of(10, 100);

        // when
        Admission first = limiter.admit(tenant, limits, 60);
        Admission second = limiter.admit(tenant, limits, 60);

        // then
        assertThat(first)
                .isInstanceOfSatisfying(
                        Admission.Admitted.class,
                        admitted -> assertThat(admitted.reservedTokens()).isEqualTo(60));
        assertThat(quota(first, Dimension.TOKENS).remaining()).isEqualTo(40);
        assertThat(second).isInstanceOfSatisfying(Admission.Refused.class, refused -> {
            assertThat(refused.exhausted()).isEqualTo(Dimension.TOKENS);
            assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        });
        assertThat(quota(second, Dimension.REQUESTS).remaining())
                .as("a refused request gives its request back")
                .isEqualTo(9);
    }

    @Test
    void settling_refunds_an_overestimate_and_charges_an_underestimate() {
        // given
        Limits limits = tokensOnly(100);

        // when
        limiter.admit(tenant, limits, 60);
        limiter.settle(tenant, limits, 20 - 60);
        Admission afterRefund = limiter.admit(tenant, limits, 10);
        limiter.settle(tenant, limits, 70 - 10);
        Admission afterCharge = limiter.admit(tenant, limits, 0);

        // then
        assertThat(quota(afterRefund, Dimension.TOKENS).remaining()).isEqualTo(100 - 20 - 10);
        assertThat(quota(afterCharge, Dimension.TOKENS).remaining()).isEqualTo(100 - 20 - 70);
    }

    @Test
    void usage_beyond_the_limit_makes_later_requests_wait_for_the_debt() {
        // given
        Limits limits = tokensOnly(100);
        limiter.admit(tenant, limits, 50);

        // when
        limiter.settle(tenant, limits, 250 - 50);
        Admission next = limiter.admit(tenant, limits, 30);

        // then
        assertThat(next)
                .isInstanceOfSatisfying(
                        Admission.Refused.class,
                        refused -> assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(108)));
        assertThat(quota(next, Dimension.TOKENS).remaining()).isZero();
        assertThat(quota(next, Dimension.TOKENS).reset()).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void an_estimate_above_the_limit_is_capped_so_the_request_can_pass_on_a_full_bucket() {
        // when
        Admission admission = limiter.admit(tenant, tokensOnly(100), 5_000);

        // then
        assertThat(admission)
                .isInstanceOfSatisfying(
                        Admission.Admitted.class,
                        admitted -> assertThat(admitted.reservedTokens()).isEqualTo(100));
    }

    @Test
    void tenants_draw_from_their_own_buckets() {
        // given
        Limits limits = requestsOnly(1);
        limiter.admit(tenant, limits, 0);

        // when
        Admission other = limiter.admit(tenant + "-other", limits, 0);

        // then
        assertThat(other).isInstanceOf(Admission.Admitted.class);
        assertThat(limiter.admit(tenant, limits, 0)).isInstanceOf(Admission.Refused.class);
    }

    @Test
    void a_tenant_without_limits_is_always_admitted_and_shown_no_quota() {
        // when
        Admission admission = limiter.admit(tenant, Limits.NONE, 1_000_000);

        // then
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        assertThat(admission.quotas()).isEmpty();
    }
}
