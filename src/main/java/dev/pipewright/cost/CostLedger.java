package dev.pipewright.cost;

import java.util.List;

/**
 * Where ledger rows are kept and summed: the database of {@code storage.url}, or memory. Implementations are thread
 * safe; {@link #append} is called from the one flusher of a {@link LedgerWriter}, off the request path.
 */
public interface CostLedger {

    /** Stores {@code entries} in one transaction; nothing of them is stored when it throws. */
    void append(List<LedgerEntry> entries);

    CostReport report(CostQuery query);
}
