package dev.pipewright.cost;

import dev.pipewright.telemetry.CostMeters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ledger rows in batches off the request path: {@link #accept} only puts the row on a bounded queue, and one
 * background thread appends what has gathered within {@code flushEvery} of the first waiting row (or as soon as a batch
 * is full), one transaction a batch. When the
 * queue is full, as when the database has been down for long, a new row is not written: it is counted
 * ({@code pipewright.cost.ledger.dropped}) and logged, never dropped silently. A batch the ledger refuses is kept and
 * tried again on the next round. {@link #close} writes everything still queued before it returns. Thread safe.
 */
public final class LedgerWriter implements Consumer<LedgerEntry>, AutoCloseable {
    static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(LedgerWriter.class);

    private final CostLedger ledger;
    private final BlockingQueue<LedgerEntry> queue;
    private final Duration flushEvery;
    private final CostMeters meters;
    private final Thread flusher;
    private final List<LedgerEntry> pending = new ArrayList<>();
    private volatile boolean closing;

    public LedgerWriter(CostLedger ledger, int capacity, Duration flushEvery, CostMeters meters) {
        this.ledger = Objects.requireNonNull(ledger);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.flushEvery = flushEvery;
        this.meters = Objects.requireNonNull(meters);
        this.flusher = Thread.ofPlatform().daemon().name("pipewright-ledger").start(this::run);
    }

    @Override
    public void accept(LedgerEntry entry) {
        if (closing || !queue.offer(entry)) {
            meters.ledgerDropped();
            log.error(
                    "cost ledger row dropped: {} rows wait to be written already; request {} tenant {} model {}"
                            + " cost {} USD",
                    queue.size(),
                    entry.requestId(),
                    entry.tenant(),
                    entry.model(),
                    entry.costUsd().toPlainString());
        } else if (queue.size() == BATCH) {
            LockSupport.unpark(flusher);
        }
    }

    /** Rows accepted and not yet written. */
    public int backlog() {
        return queue.size() + pendingSize();
    }

    private synchronized int pendingSize() {
        return pending.size();
    }

    private void run() {
        while (!closing) {
            try {
                gather();
                flush();
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /**
     * Waits for a first row, then lets more gather until {@code flushEvery} has passed since it came or a batch is
     * full, so that one transaction carries many rows however the requests are spread: flushing on every arrival
     * would write one row per transaction at any rate below saturation.
     */
    private void gather() throws InterruptedException {
        LedgerEntry first = queue.poll(flushEvery.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return;
        }
        synchronized (this) {
            pending.add(first);
        }
        long until = System.nanoTime() + flushEvery.toNanos();
        for (long left = flushEvery.toNanos(); left > 0 && queue.size() < BATCH; left = until - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Appends what is pending and queued, a batch at a time; keeps a refused batch for the next round. */
    private synchronized boolean flush() {
        while (true) {
            queue.drainTo(pending, BATCH - pending.size());
            if (pending.isEmpty()) {
                return true;
            }
            try {
                ledger.append(pending);
                pending.clear();
            } catch (RuntimeException e) {
                log.warn("cost ledger: {} rows not written yet, trying again: {}", pending.size(), e.getMessage());
                return false;
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        flusher.interrupt();
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!flush()) {
            int lost = backlog();
            log.error("cost ledger: {} rows could not be written before shutdown", lost);
        }
    }
}
