package dev.pipewright.cli;

import dev.pipewright.model.ModelClient;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who still uses each provider client, so that a client a reload replaced is closed (with its connection pool) once
 * the last request or job of the generations that held it has ended, and never before. The current generation holds
 * one reference on each of its clients, and every request or job pinned to a generation holds one more on each of
 * that generation's clients until it ends. A client taken over by the next generation therefore never drops to zero.
 * Thread safe.
 */
final class ClientReferences {
    private static final Logger log = LoggerFactory.getLogger(ClientReferences.class);

    private final Map<ModelClient, Integer> counts = new IdentityHashMap<>();

    /** Makes {@code first} the current generation, holding its clients. */
    ClientReferences(Generation first) {
        acquire(first);
    }

    /** Holds the clients of the current generation for one request or job, and returns that generation. */
    synchronized Generation pin(AtomicReference<Generation> current) {
        Generation generation = current.get();
        acquire(generation);
        return generation;
    }

    /** Ends the hold of one request or job on {@code generation}'s clients; closes those nobody holds any more. */
    void unpin(Generation generation) {
        close(release(generation));
    }

    /**
     * Makes {@code next} the current generation: it holds its clients, the previous one lets go of its own, and the
     * clients nobody holds any more are closed.
     */
    void swap(AtomicReference<Generation> current, Generation next) {
        List<ModelClient> unused;
        synchronized (this) {
            acquire(next);
            unused = release(current.getAndSet(next));
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
