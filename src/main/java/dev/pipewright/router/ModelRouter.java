package dev.pipewright.router;

import dev.pipewright.config.GroupMember;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.ModelGroupConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.Price;
import dev.pipewright.config.RoutingStrategy;
import dev.pipewright.model.Clock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Resolves the {@code model} a proxy client sent to a {@link Route}: a model alias routes to itself; a model group
 * picks one of its members by the group's strategy, among the members that are {@code available} (whose circuit is
 * not open). When no member is available the strategy picks among all of them, so that the call still reaches a
 * model chain that can fail over or probe. Ties go to the member declared first.
 *
 * <p>Callers hold a {@link Lease} for the duration of each call ({@code try (var lease = router.acquire(alias))}),
 * which is what the least-busy strategy counts. Latency for the lowest-latency strategy comes from {@link
 * ModelHealth}; a member not yet observed counts as fastest, so that every member gets measured. Thread safe; reads
 * the current configuration on every call, so a reload takes effect at once.
 */
public final class ModelRouter {
    private final Supplier<PipewrightConfig> config;
    private final ModelHealth health;
    private final Predicate<String> available;
    private final Clock clock;
    private final RandomGenerator random;
    private final ConcurrentMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /**
     * @param available whether a model alias may take calls now: in production, that its circuit is not open
     * @param random draws the weighted choice; shared across threads, so it must be thread safe
     */
    public ModelRouter(
            Supplier<PipewrightConfig> config,
            ModelHealth health,
            Predicate<String> available,
            Clock clock,
            RandomGenerator random) {
        this.config = Objects.requireNonNull(config);
        this.health = Objects.requireNonNull(health);
        this.available = Objects.requireNonNull(available);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /** The route for {@code requestedModel}, or empty when it names neither a model alias nor a model group. */
    public Optional<Route> resolve(String requestedModel) {
        PipewrightConfig current = config.get();
        if (current.models().containsKey(requestedModel)) {
            return Optional.of(new Route(requestedModel, List.of()));
        }
        ModelGroupConfig group = current.modelGroups().get(requestedModel);
        if (group == null) {
            return Optional.empty();
        }
        List<GroupMember> candidates = group.members().stream()
                .filter(member -> available.test(member.model()))
                .toList();
        if (candidates.isEmpty()) {
            candidates = group.members();
        }
        List<String> order = preferenceOrder(group, candidates, current);
        String chosen = order.getFirst();
        List<String> chainOfChosen = current.model(chosen).fallbacks();
        List<String> alternatives = order.subList(1, order.size()).stream()
                .filter(alias -> !chainOfChosen.contains(alias))
                .toList();
        return Optional.of(new Route(chosen, alternatives));
    }

    /**
     * Counts a call to {@code alias} as in flight until the lease is closed. Close it in a finally block (or
     * try-with-resources); closing twice counts once.
     */
    public Lease acquire(String alias) {
        AtomicInteger count = inFlight.computeIfAbsent(alias, ignored -> new AtomicInteger());
        count.incrementAndGet();
        return new Lease(count);
    }

    /** Calls to {@code alias} holding a lease now. */
    public int inFlight(String alias) {
        AtomicInteger count = inFlight.get(alias);
        return count == null ? 0 : count.get();
    }

    /**
     * Records the outcome of a call made outside the {@code ModelCall} chain's {@link HealthRecordingInterceptor};
     * calls through the chain are recorded by that link already, and must not be recorded twice.
     */
    public void recordOutcome(String alias, Duration latency, boolean success) {
        if (success) {
            health.recordSuccess(alias, clock.instant(), latency);
        } else {
            health.recordFailure(alias, clock.instant(), "failed");
        }
    }

    private List<String> preferenceOrder(
            ModelGroupConfig group, List<GroupMember> candidates, PipewrightConfig current) {
        Comparator<GroupMember> preference = switch (group.strategy()) {
            case WEIGHTED -> Comparator.comparingInt(GroupMember::weight).reversed();
            case LEAST_BUSY -> Comparator.comparingInt(member -> inFlight(member.model()));
            case LOWEST_LATENCY ->
                Comparator.comparing(member ->
                        health.observed(member.model()).averageLatency().orElse(Duration.ZERO));
            case CHEAPEST_HEALTHY ->
                Comparator.comparing(member -> pricePerMillionTokens(current.model(member.model())));
        };
        // A stable sort: equal members keep their declaration order.
        List<GroupMember> ordered = new ArrayList<>(candidates);
        ordered.sort(preference);
        if (group.strategy() == RoutingStrategy.WEIGHTED) {
            GroupMember drawn = drawByWeight(candidates);
            ordered.remove(drawn);
            ordered.addFirst(drawn);
        }
        return ordered.stream().map(GroupMember::model).toList();
    }

    private GroupMember drawByWeight(List<GroupMember> candidates) {
        int total = candidates.stream().mapToInt(GroupMember::weight).sum();
        int ticket = random.nextInt(total);
        for (GroupMember member : candidates) {
            ticket -= member.weight();
            if (ticket < 0) {
                return member;
            }
        }
        throw new IllegalStateException("a draw below the total weight " + total + " matched no member");
    }

    /** Input and output price together; a model without a price (local, self-hosted) costs nothing per token. */
    private static BigDecimal pricePerMillionTokens(ModelConfig model) {
        return model.price()
                .map((Price price) -> price.inputPerMtok().add(price.outputPerMtok()))
                .orElse(BigDecimal.ZERO);
    }

    /** One call in flight; see {@link #acquire}. */
    public static final class Lease implements AutoCloseable {
        private final AtomicInteger count;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(AtomicInteger count) {
            this.count = count;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }
}
