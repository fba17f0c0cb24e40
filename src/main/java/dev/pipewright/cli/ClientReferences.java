package dev.pipewright.cli;

import dev.pipewright.model.ModelClient;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who still uses each provider client, so that a client a reload replaced is closed (with its connection pool) once
 * the last request or job of the generations that held it has ended, and never before. Each generation counts its
 * holds: one for being current, one for every request or job pinned to it. That count is all a request touches, one
 * atomic increment and decrement, so pinning costs the request path no lock. When a generation's count reaches zero
 * (it was replaced and its last pinned request ended) it lets go of its clients; a client is closed when no live
 * generation holds it any more, so a client taken over by the next generation is never closed. Thread safe.
 */
final class ClientReferences {
    private static final Logger log = LoggerFactory.getLogger(ClientReferences.class);

    /** Live generations holding each client; changed only when a generation starts or ends, under this lock. */
    private final Map<ModelClient, Integer> counts = new IdentityHashMap<>();
    /** The generations replaced but still pinned, under this lock. */
    private final List<Holds> retired = new ArrayList<>();

    private volatile Holds live;

    /** The holds on one generation; zero means it has ended for good and can be held no more. */
    private static final class Holds {
        final Generation generation;
        final AtomicInteger count = new AtomicInteger(1);

        Holds(Generation generation) {
            this.generation = generation;
        }

        boolean tryAcquire() {
            for (int held = count.get(); held > 0; held = count.get()) {
                if (count.compareAndSet(held, held + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether this was the last hold. */
        boolean release() {
            return count.decrementAndGet() == 0;
        }
    }

    /** Makes {@code first} the current generation, holding its clients. */
    ClientReferences(Generation first) {
        acquire(first);
        live = new Holds(first);
    }

    /** Holds the current generation's clients for one request or job, and returns that generation. */
    Generation pin() {
        while (true) {
            Holds holds = live;
            if (holds.tryAcquire()) {
                return holds.generation;
            }
        }
    }

    /** Ends the hold of one request or job on {@code generation}; closes the clients nobody holds any more. */
    void unpin(Generation generation) {
        Holds holds = live;
        if (holds.generation != generation) {
            holds = retiredHolds(generation);
        }
        if (holds.release()) {
            end(holds);
        }
    }

    /**
     * Makes {@code next} the current generation (and the value of {@code current}): it holds its clients, the
     * previous one drops its hold of being current, and the clients nobody holds any more are closed.
     */
    void swap(AtomicReference<Generation> current, Generation next) {
        Holds previous;
        synchronized (this) {
            acquire(next);
            previous = live;
            live = new Holds(next);
            current.set(next);
            retired.add(previous);
        }
        if (previous.release()) {
            end(previous);
        }
    }

    private synchronized Holds retiredHolds(Generation generation) {
        for (Holds holds : retired) {
            if (holds.generation == generation) {
                return holds;
            }
        }
        throw new IllegalStateException("generation " + generation.number() + " was not pinned");
    }

    private void end(Holds holds) {
        List<ModelClient> unused;
        synchronized (this) {
            retired.remove(holds);
            unused = release(holds.generation);
        }
        close(unused);
    }

    private synchronized void acquire(Generation generation) {
        generation.clients().values().forEach(client -> counts.merge(client, 1, Integer::sum));
    }

    private synchronized List<ModelClient> release(Generation generation) {
        List<ModelClient> unused = new ArrayList<>();
        for (ModelClient client : generation.clients().values()) {
            if (counts.merge(client, -1, Integer::sum) == 0) {
                counts.remove(client);
                unused.add(client);
            }
        }
        return unused;
    }

    private static void close(List<ModelClient> unused) {
        for (ModelClient client : unused) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.warn("could not close a model client a reload replaced", e);
            }
        }
    }
}
