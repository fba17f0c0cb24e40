package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LedgerWriterTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static LedgerEntry row(int i) {
        return CostLedgerContract.entry(Instant.EPOCH.plusSeconds(i), "acme", "p", "openai", "gpt", "", "0.0" + i);
    }

    /** A ledger that only takes rows, as each test's database does. */
    private abstract static class AppendOnly implements CostLedger {
        @Override
        public CostReport report(CostQuery query) {
            throw new UnsupportedOperationException("not reported here");
        }
    }

    private double dropped() {
        var counter = registry.find("pipewright.cost.ledger.dropped").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void rows_are_written_in_the_background_and_close_writes_what_is_still_queued() {
        // given
        InMemoryCostLedger ledger = new InMemoryCostLedger();
        LedgerWriter writer = new LedgerWriter(ledger, 10_000, Duration.ofHours(1), new CostMeters(registry));

        // when
        for (int i = 0; i < 1200; i++) {
            writer.accept(row(i));
        }
        writer.close();

        // then
        assertThat(ledger.entries()).hasSize(1200);
        assertThat(ledger.entries().get(1199)).isEqualTo(row(1199));
        assertThat(dropped()).isZero();
    }

    @Test
    void writes_in_batches_of_at_most_the_batch_size() {
        // given
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CostLedger ledger = new AppendOnly() {
            @Override
            public void append(List<LedgerEntry> batch) {
                batches.add(batch.size());
            }
        };
        LedgerWriter writer = new LedgerWriter(ledger, 10_000, Duration.ofHours(1), new CostMeters(registry));

        // when
        for (int i = 0; i < 1001; i++) {
            writer.accept(row(i));
        }
        writer.close();

        // then
        assertThat(batches).allSatisfy(size -> assertThat(size).isBetween(1, LedgerWriter.BATCH));
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1001);
    }

    @Test
    void rows_that_arrive_one_by_one_are_written_together_once_a_batch_is_full() {
        // given: rows arrive slower than the writer could write them one at a time
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CostLedger ledger = new AppendOnly() {
            @Override
            public void append(List<LedgerEntry> batch) {
                batches.add(batch.size());
            }
        };
        LedgerWriter writer = new LedgerWriter(ledger, 10_000, Duration.ofHours(1), new CostMeters(registry));
        writer.accept(row(0));
        await().until(() -> writer.backlog() == 1 && batches.isEmpty());

        // when
        for (int i = 1; i < LedgerWriter.BATCH + 1; i++) {
            writer.accept(row(i));
        }

        // then: one full batch, written before the hour is up, and the remainder on close
        await().until(() -> !batches.isEmpty());
        assertThat(batches.getFirst()).isEqualTo(LedgerWriter.BATCH);
        writer.close();
        assertThat(batches).containsExactly(LedgerWriter.BATCH, 1);
    }

    @Test
    void a_row_that_finds_the_queue_full_is_counted_and_the_others_are_written() throws InterruptedException {
        // given: the database hangs on the first batch
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean appending = new AtomicBoolean();
        InMemoryCostLedger stored = new InMemoryCostLedger();
        CostLedger ledger = new AppendOnly() {
            @Override
            public void append(List<LedgerEntry> batch) {
                appending.set(true);
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stored.append(batch);
            }
        };
        LedgerWriter writer = new LedgerWriter(ledger, 2, Duration.ofMillis(1), new CostMeters(registry));
        writer.accept(row(0));
        await().untilTrue(appending);

        // when
        writer.accept(row(1));
        writer.accept(row(2));
        writer.accept(row(3));

        // then
        assertThat(dropped()).isEqualTo(1.0);
        release.countDown();
        writer.close();
        assertThat(stored.entries()).containsExactly(row(0), row(1), row(2));
    }

    @Test
    void a_batch_the_database_refuses_is_tried_again() {
        // given
        AtomicInteger refusals = new AtomicInteger(2);
        InMemoryCostLedger stored = new InMemoryCostLedger();
        CostLedger ledger = new AppendOnly() {
            @Override
            public void append(List<LedgerEntry> batch) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("database restarting");
                }
                stored.append(batch);
            }
        };
        LedgerWriter writer = new LedgerWriter(ledger, 100, Duration.ofMillis(1), new CostMeters(registry));

        // when
        writer.accept(row(1));

        // then
        await().until(() -> stored.entries().size() == 1);
        writer.close();
        assertThat(stored.entries()).containsExactly(row(1));
    }
}
