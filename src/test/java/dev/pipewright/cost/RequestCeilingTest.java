package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.CallLabels;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RequestCeilingTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestCeiling ceiling = new RequestCeiling(new BigDecimal("0.50"), new CostMeters(registry));

    @Test
    void flags_a_request_once_when_its_calls_together_first_go_over_the_ceiling() {
        // given
        CallLabels request = labels("req-1");

        // when
        ceiling.add(request, new BigDecimal("0.30"));
        double afterFirst = exceeded();
        ceiling.add(request, new BigDecimal("0.30"));
        ceiling.add(request, new BigDecimal("0.30"));

        // then
        assertThat(afterFirst).isZero();
        assertThat(exceeded()).isEqualTo(1);
    }

    @Test
    void keeps_the_sums_of_different_requests_apart() {
        // when
        ceiling.add(labels("req-1"), new BigDecimal("0.30"));
        ceiling.add(labels("req-2"), new BigDecimal("0.30"));

        // then
        assertThat(exceeded()).isZero();
    }

    @Test
    void a_sum_survives_one_change_of_generation_and_the_number_kept_stays_bounded() {
        // given: a request's first call, then a full generation of other requests
        ceiling.add(labels("long-running"), new BigDecimal("0.30"));
        for (int i = 0; i < RequestCeiling.GENERATION; i++) {
            ceiling.add(labels("other-" + i), new BigDecimal("0.01"));
        }

        // when: its second call comes after the generation changed
        ceiling.add(labels("long-running"), new BigDecimal("0.30"));
        for (int i = 0; i < 3 * RequestCeiling.GENERATION; i++) {
            ceiling.add(labels("later-" + i), new BigDecimal("0.01"));
        }

        // then
        assertThat(exceeded()).isEqualTo(1);
        assertThat(ceiling.tracked()).isLessThanOrEqualTo(2 * RequestCeiling.GENERATION);
    }

    @Test
    void ignores_free_calls_and_calls_without_a_request_id() {
        // when
        ceiling.add(labels(""), new BigDecimal("5"));
        ceiling.add(labels("req-1"), BigDecimal.ZERO);

        // then
        assertThat(exceeded()).isZero();
        assertThat(ceiling.tracked()).isZero();
    }

    private static CallLabels labels(String requestId) {
        return new CallLabels("acme", "analyze", "", requestId);
    }

    private double exceeded() {
        var counter = registry.find("pipewright.cost.ceiling.exceeded").counter();
        return counter == null ? 0 : counter.count();
    }
}
