-- One row per webhook delivery: registered with the job (state 'waiting'), given its payload when the job ends
-- ('pending'), then 'delivered' or, after its last attempt, 'failed'. Times are epoch milliseconds.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    tenant          TEXT    NOT NULL,
    job_id          TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    event           TEXT,
    payload         TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (tenant, job_id);
