package dev.pipewright.model;

import dev.pipewright.config.ModelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one path every model call takes, an ordered chain of {@link ModelInterceptor}s in the manner of OkHttp's
 * interceptors, ending at the {@link ModelClient} of the invocation's model. The order of the links is written down
 * once, where the application is wired: deadline, fallback chain, then per model circuit breaker, retry and
 * timeout. Thread safe; one instance serves every call.
 */
public final class ModelCall {
    private final List<ModelInterceptor> interceptors;
    private final ModelClients clients;
    private final Function<String, ModelConfig> models;
    private final Clock clock;

    public ModelCall(
            List<ModelInterceptor> interceptors,
            ModelClients clients,
            Function<String, ModelConfig> models,
            Clock clock) {
        this.interceptors = List.copyOf(interceptors);
        this.clients = Objects.requireNonNull(clients);
        this.models = Objects.requireNonNull(models);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Calls the model {@code alias} (or its fallbacks) for {@code request} within {@code deadline}.
     *
     * @throws ModelCallException when no model answered; it lists every attempt
     */
    public ModelResult execute(
            ModelRequest request, String alias, Deadline deadline, String idempotencyKey, CallLabels labels) {
        return run(request, alias, deadline, idempotencyKey, labels, Optional.empty());
    }

    /**
     * Streams a chat answer from the model {@code alias} (or its fallbacks) to {@code listener}. Until the first piece
     * has gone out, failures are retried and failed over as for {@link #execute}; after it, the first failure ends
     * the call.
     *
     * @throws ModelCallException when no model answered completely; it lists every attempt
     */
    public ModelResult stream(
            ModelRequest.Chat request,
            String alias,
            Deadline deadline,
            String idempotencyKey,
            CallLabels labels,
            StreamListener listener) {
        return run(request, alias, deadline, idempotencyKey, labels, Optional.of(new StreamSink(listener)));
    }

    private ModelResult run(
            ModelRequest request,
            String alias,
            Deadline deadline,
            String idempotencyKey,
            CallLabels labels,
            Optional<StreamSink> stream) {
        ModelConfig model = models.apply(alias);
        AttemptLog log = new AttemptLog();
        Invocation first = new Invocation(
                request, model, deadline, model.timeout(), 1, Duration.ZERO, idempotencyKey, labels, log, stream);
        long start = clock.nanoTime();
        try {
            ModelResponse response = new Link(0, first).proceed(first);
            Attempt answered = lastSuccess(log.snapshot())
                    .orElseThrow(() -> new IllegalStateException("a response came back without a successful attempt"));
            return new ModelResult(
                    response,
                    answered.model(),
                    answered.providerModel(),
                    log.snapshot(),
                    Duration.ofNanos(clock.nanoTime() - start));
        } catch (ModelCallException e) {
            throw e;
        } catch (ModelException e) {
            throw new ModelCallException(e.error(), log.snapshot(), e);
        }
    }

    private static Optional<Attempt> lastSuccess(List<Attempt> attempts) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).succeeded()) {
                return Optional.of(attempts.get(i));
            }
        }
        return Optional.empty();
    }

    private ModelResponse callClient(Invocation invocation) {
        ModelConfig model = invocation.model();
        long start = clock.nanoTime();
        try {
            ModelClient client = clients.forModel(model);
            CallOptions options = new CallOptions(
                    model.model(),
                    invocation.timeout(),
                    invocation.idempotencyKey(),
                    shorter(model.stream().firstToken(), invocation.timeout()),
                    shorter(model.stream().idle(), invocation.timeout()));
            invocation.stream().ifPresent(sink -> sink.onAttempt(model.alias(), model.model()));
            ModelResponse response = invocation.request() instanceof ModelRequest.Chat chat
                            && invocation.stream().isPresent()
                    ? client.stream(chat, options, invocation.stream().get())
                    : client.call(invocation.request(), options);
            record(invocation, start, Optional.empty());
            return response;
        } catch (ModelException e) {
            record(invocation, start, Optional.of(e.error()));
            throw e;
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void record(Invocation invocation, long startNanos, Optional<ModelError> error) {
        invocation
                .attempts()
                .record(new Attempt(
                        invocation.model().alias(),
                        invocation.model().model(),
                        invocation.attempt(),
                        invocation.waitedBefore(),
                        Duration.ofNanos(clock.nanoTime() - startNanos),
                        error));
    }

    /** The chain position {@code index}; proceeding hands the invocation to the next link or to the client. */
    private final class Link implements ModelInterceptor.Chain {
        private final int index;
        private final Invocation invocation;

        Link(int index, Invocation invocation) {
            this.index = index;
            this.invocation = invocation;
        }

        @Override
        public Invocation invocation() {
            return invocation;
        }

        @Override
        public ModelResponse proceed(Invocation next) {
            if (index == interceptors.size()) {
                return callClient(next);
            }
            ModelInterceptor interceptor = interceptors.get(index);
            ModelResponse response = interceptor.intercept(new Link(index + 1, next));
            if (response == null) {
                throw new IllegalStateException(interceptor.getClass().getName() + " returned no response");
            }
            return response;
        }
    }
}
