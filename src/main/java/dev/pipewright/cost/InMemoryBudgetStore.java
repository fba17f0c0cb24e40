package dev.pipewright.cost;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Budgets held in this process only: for one process on the embedded default and for tests. Thread safe. */
public final class InMemoryBudgetStore implements BudgetStore {
    private final Map<String, Long> used = new HashMap<>();
    private final Map<String, Map<String, Reserved>> reserved = new HashMap<>();
    private final Set<String> alerted = new HashSet<>();

    private record Reserved(long picos, Instant expiresAt) {}

    private static String key(Hold hold) {
        return hold.budget() + "@" + hold.windowStart();
    }

    @Override
    public synchronized int reserve(
            String id, List<Hold> holds, long picos, Instant now, Instant expiresAt, boolean force) {
        if (!force) {
            for (int i = 0; i < holds.size(); i++) {
                Spend spend = spend(holds.get(i), now);
                if (spend.usedPicos() + spend.reservedPicos() + picos
                        > holds.get(i).limitPicos()) {
                    return i;
                }
            }
        }
        for (Hold hold : holds) {
            reserved.computeIfAbsent(key(hold), ignored -> new HashMap<>()).put(id, new Reserved(picos, expiresAt));
        }
        return -1;
    }

    @Override
    public synchronized void settle(String id, List<Hold> holds, long reservedPicos, long actualPicos) {
        for (Hold hold : holds) {
            Map<String, Reserved> held = reserved.get(key(hold));
            if (held != null) {
                held.remove(id);
            }
            used.merge(key(hold), actualPicos, Long::sum);
        }
    }

    @Override
    public synchronized Spend spend(Hold hold, Instant now) {
        Map<String, Reserved> held = reserved.getOrDefault(key(hold), Map.of());
        held.values().removeIf(reservation -> !reservation.expiresAt().isAfter(now));
        long holding = held.values().stream().mapToLong(Reserved::picos).sum();
        return new Spend(used.getOrDefault(key(hold), 0L), holding);
    }

    @Override
    public synchronized boolean claimAlert(Hold hold, Instant now, Instant keepUntil) {
        return alerted.add(key(hold));
    }
}
