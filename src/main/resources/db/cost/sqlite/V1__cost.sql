-- The cost ledger, one row per answered model call, and the shared state of budgets. Instants are epoch
-- milliseconds (UTC); money is a whole number of pico-dollars (1e-12 USD), so sums are exact.
CREATE TABLE cost_ledger (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms               INTEGER NOT NULL,
    tenant              TEXT    NOT NULL,
    pipeline            TEXT    NOT NULL,
    step                TEXT    NOT NULL,
    provider            TEXT    NOT NULL,
    model               TEXT    NOT NULL,
    provider_model      TEXT    NOT NULL,
    variant             TEXT    NOT NULL,
    input_tokens        INTEGER NOT NULL,
    output_tokens       INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    cost_pico_usd       INTEGER NOT NULL,
    estimated           INTEGER NOT NULL,
    request_id          TEXT    NOT NULL,
    tags                TEXT    NOT NULL
);
CREATE INDEX cost_ledger_at ON cost_ledger (at_ms);
CREATE INDEX cost_ledger_tenant_at ON cost_ledger (tenant, at_ms);

-- One row per budget and period window: what was spent (settled) in it.
CREATE TABLE cost_budget_windows (
    budget         TEXT    NOT NULL,
    window_start   INTEGER NOT NULL,
    used_pico_usd  INTEGER NOT NULL,
    PRIMARY KEY (budget, window_start)
);

-- Reservations of calls in flight; one that outlives its expiry (a crashed process) no longer counts.
CREATE TABLE cost_budget_reservations (
    id             TEXT    NOT NULL,
    budget         TEXT    NOT NULL,
    window_start   INTEGER NOT NULL,
    amount_pico_usd INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    PRIMARY KEY (id, budget)
);
CREATE INDEX cost_budget_reservations_of ON cost_budget_reservations (budget, window_start, expires_at);
