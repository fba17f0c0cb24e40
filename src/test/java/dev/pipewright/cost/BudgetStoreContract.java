package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link BudgetStore} does: reserves within limits, atomically over holds, settles, forgets expired holds. */
abstract class BudgetStoreContract {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final Instant LATER = NOW.plus(Duration.ofMinutes(5));

    protected abstract BudgetStore store();

    /** Another process's view of the same budgets: a second store on the same database or Redis when shared. */
    protected BudgetStore replica() {
        return store();
    }

    private final String run = Long.toString(System.nanoTime());
    private final BudgetStore.Hold daily = new BudgetStore.Hold("tenant/acme/daily/" + run, 1, 100);
    private final BudgetStore.Hold monthly = new BudgetStore.Hold("tenant/acme/monthly/" + run, 2, 1000);

    @Test
    void a_reservation_that_fits_is_held_until_settled_at_the_actual_cost() {
        // when
        int refused = store().reserve("a", List.of(daily, monthly), 60, NOW, LATER, false);

        // then
        assertThat(refused).isEqualTo(-1);
        assertThat(store().spend(daily, NOW)).isEqualTo(new BudgetStore.Spend(0, 60));

        // when
        store().settle("a", List.of(daily, monthly), 60, 25);

        // then
        assertThat(store().spend(daily, NOW)).isEqualTo(new BudgetStore.Spend(25, 0));
        assertThat(store().spend(monthly, NOW)).isEqualTo(new BudgetStore.Spend(25, 0));
    }

    @Test
    void a_reservation_that_would_pass_a_limit_is_refused_on_every_hold() {
        // given
        store().reserve("a", List.of(daily), 60, NOW, LATER, false);

        // when
        int refused = store().reserve("b", List.of(monthly, daily), 41, NOW, LATER, false);

        // then
        assertThat(refused).isEqualTo(1);
        assertThat(store().spend(monthly, NOW)).isEqualTo(new BudgetStore.Spend(0, 0));
        assertThat(store().reserve("c", List.of(monthly, daily), 40, NOW, LATER, false))
                .isEqualTo(-1);
    }

    @Test
    void a_forced_reservation_is_held_even_past_the_limit() {
        // when
        int refused = store().reserve("a", List.of(daily), 500, NOW, LATER, true);

        // then
        assertThat(refused).isEqualTo(-1);
        assertThat(store().spend(daily, NOW)).isEqualTo(new BudgetStore.Spend(0, 500));
    }

    @Test
    void an_expired_reservation_no_longer_counts() {
        // given: a process reserved and died
        store().reserve("a", List.of(daily), 100, NOW, LATER, false);

        // when
        int refused = store().reserve("b", List.of(daily), 100, LATER, LATER.plusSeconds(60), false);

        // then
        assertThat(refused).isEqualTo(-1);
        assertThat(store().spend(daily, LATER)).isEqualTo(new BudgetStore.Spend(0, 100));
    }

    @Test
    void concurrent_reservations_never_hold_more_than_the_limit() throws Exception {
        // given
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();

        // when: 40 calls of 7 against a limit of 100
        for (int i = 0; i < 40; i++) {
            String id = "r" + i;
            results.add(threads.submit(() -> store().reserve(id, List.of(daily), 7, NOW, LATER, false)));
        }
        long admitted = 0;
        for (Future<Integer> result : results) {
            admitted += result.get() == -1 ? 1 : 0;
        }
        threads.shutdown();

        // then
        assertThat(admitted).isEqualTo(14);
        assertThat(store().spend(daily, NOW).reservedPicos()).isEqualTo(98);
    }

    @Test
    void an_alert_is_granted_to_the_first_claim_of_its_budget_window_only() {
        // given
        Instant monthEnd = NOW.plus(Duration.ofDays(30));
        BudgetStore.Hold nextWindow = new BudgetStore.Hold(daily.budget(), daily.windowStart() + 86_400_000L, 100);

        // when
        boolean first = store().claimAlert(daily, NOW, monthEnd);
        boolean again = store().claimAlert(daily, NOW, monthEnd);
        boolean fromReplica = replica().claimAlert(daily, LATER, monthEnd);

        // then
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(fromReplica).isFalse();
        assertThat(replica().claimAlert(monthly, NOW, monthEnd)).isTrue();
        assertThat(store().claimAlert(nextWindow, NOW, monthEnd)).isTrue();
    }

    @Test
    void concurrent_claims_of_one_alert_from_two_replicas_grant_it_once() throws Exception {
        // given
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicInteger granted = new AtomicInteger();
        List<Future<?>> claims = new ArrayList<>();

        // when
        for (int i = 0; i < 16; i++) {
            BudgetStore each = i % 2 == 0 ? store() : replica();
            claims.add(threads.submit(() -> {
                if (each.claimAlert(daily, NOW, LATER)) {
                    granted.incrementAndGet();
                }
            }));
        }
        for (Future<?> claim : claims) {
            claim.get();
        }
        threads.shutdown();

        // then
        assertThat(granted).hasValue(1);
    }
}
