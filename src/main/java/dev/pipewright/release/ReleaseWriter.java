package dev.pipewright.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers observations and recordings so that serving a request never waits on the database; {@link #flush} writes
 * what is buffered in one transaction per kind (the background task calls it every few hundred milliseconds). Beyond
 * {@link #CAPACITY} waiting rows, new ones are dropped and counted rather than growing the heap without bound.
 */
final class ReleaseWriter {
    static final int CAPACITY = 100_000;
    private static final Logger log = LoggerFactory.getLogger(ReleaseWriter.class);

    private final ReleaseStore store;
    private final Queue<ObservedRun> observations = new ConcurrentLinkedQueue<>();
    private final Queue<Recording> recordings = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    ReleaseWriter(ReleaseStore store) {
        this.store = store;
    }

    void observe(ObservedRun run) {
        if (admit()) {
            observations.add(run);
        }
    }

    void record(Recording recording) {
        if (admit()) {
            recordings.add(recording);
        }
    }

    /** Writes everything buffered so far; rows that fail to write are logged and dropped. */
    synchronized void flush() {
        List<ObservedRun> runs = drain(observations);
        List<Recording> kept = drain(recordings);
        try {
            store.observe(runs);
            store.record(kept);
        } catch (RuntimeException e) {
            log.warn("could not store {} observations and {} recordings: {}", runs.size(), kept.size(), e.toString());
        }
        int lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("dropped {} observations or recordings: the release buffer was full", lost);
        }
    }

    private boolean admit() {
        if (waiting.incrementAndGet() > CAPACITY) {
            waiting.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private <T> List<T> drain(Queue<T> queue) {
        List<T> drained = new ArrayList<>();
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            drained.add(item);
            waiting.decrementAndGet();
        }
        return drained;
    }
}
