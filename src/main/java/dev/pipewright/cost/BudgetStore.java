package dev.pipewright.cost;

import java.time.Instant;
import java.util.List;

/**
 * The shared state of budgets: per budget and period window, what calls have cost ({@code used}) and what calls in
 * flight hold ({@code reserved}). Reservations expire, so that one held by a process that died stops counting.
 * Kept in memory, in SQLite or PostgreSQL, or in Redis; each {@link #reserve} is atomic across every hold it takes,
 * and across processes for the shared stores. Money is in pico-dollars. Thread safe.
 */
public interface BudgetStore extends AutoCloseable {

    /**
     * Reserves {@code picos} on every hold, when on each the used and unexpired reserved amounts plus it stay within
     * the hold's limit, or unconditionally when {@code force}; nothing is reserved otherwise.
     *
     * @return -1 when reserved, else the index of the first hold it did not fit
     */
    int reserve(String id, List<Hold> holds, long picos, Instant now, Instant expiresAt, boolean force);

    /**
     * Ends the reservation {@code id} of {@code reservedPicos} on every hold and adds {@code actualPicos} to what
     * each has used.
     */
    void settle(String id, List<Hold> holds, long reservedPicos, long actualPicos);

    /** What a hold's window has used and holds in unexpired reservations at {@code now}. */
    Spend spend(Hold hold, Instant now);

    /**
     * Claims the alert of a hold's window: true for the first claim of that budget and window start, across every
     * process on the store, and false for every later one, so that exactly one replica sends it. The claim is kept at
     * least until {@code keepUntil} (the window's end).
     */
    boolean claimAlert(Hold hold, Instant now, Instant keepUntil);

    @Override
    default void close() {}

    /** One budget's window: {@code budget} names it, {@code windowStart} is the window's start in epoch millis. */
    record Hold(String budget, long windowStart, long limitPicos) {}

    record Spend(long usedPicos, long reservedPicos) {}
}
