package dev.pipewright.telemetry;

import dev.pipewright.model.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The open {@link ModelTimeAccount}s by request id. The gateway opens one for each request it serves and closes it
 * when the response is sent; the model-call metrics link charges every call to the account of the request id in
 * its labels, from whatever thread the call runs on. Calls of requests without an open account (a queue worker, a
 * CLI run) are not charged. Thread safe.
 */
public final class ModelTimeAccounts {
    private final Clock clock;
    private final ConcurrentMap<String, ModelTimeAccount> open = new ConcurrentHashMap<>();

    public ModelTimeAccounts(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** Opens the account of {@code requestId}; closing the handle removes it. */
    public Opened open(String requestId) {
        ModelTimeAccount account = new ModelTimeAccount(clock);
        open.put(requestId, account);
        return new Opened(requestId, account);
    }

    /** Charges the time until the returned handle is closed to {@code requestId}'s account, if one is open. */
    Charge charge(String requestId) {
        ModelTimeAccount account = open.get(requestId);
        if (account == null) {
            return Charge.NONE;
        }
        account.enter();
        return account::exit;
    }

    @FunctionalInterface
    interface Charge extends AutoCloseable {
        Charge NONE = () -> {};

        @Override
        void close();
    }

    /** An open account; closing it stops further charges to its request id. */
    public final class Opened implements AutoCloseable {
        private final String requestId;
        private final ModelTimeAccount account;

        private Opened(String requestId, ModelTimeAccount account) {
            this.requestId = requestId;
            this.account = account;
        }

        public ModelTimeAccount account() {
            return account;
        }

        @Override
        public void close() {
            open.remove(requestId, account);
        }
    }
}
