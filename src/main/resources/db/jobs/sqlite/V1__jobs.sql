-- Jobs, their step journal and their attempt history. Instants are epoch milliseconds (UTC).
CREATE TABLE jobs (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT    NOT NULL UNIQUE,
    tenant           TEXT    NOT NULL,
    pipeline         TEXT    NOT NULL,
    input            TEXT    NOT NULL,
    idempotency_key  TEXT,
    webhook_url      TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    lease_token      INTEGER NOT NULL DEFAULT 0,
    worker_id        TEXT,
    lease_expires_at INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    run_at           INTEGER NOT NULL,
    finished_at      INTEGER,
    result           TEXT,
    error_kind       TEXT,
    error_message    TEXT,
    error_step       TEXT,
    UNIQUE (tenant, idempotency_key)
);
CREATE INDEX jobs_due ON jobs (status, run_at, seq);
CREATE INDEX jobs_leases ON jobs (status, lease_expires_at);
CREATE INDEX jobs_of_tenant ON jobs (tenant, seq);

CREATE TABLE job_steps (
    job_id      TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step        TEXT    NOT NULL,
    -- 0, 1, 2... in the order the steps were journaled (records of one job are serialized by its row).
    position    INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'vectors')),
    output      TEXT    NOT NULL,
    token       INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (job_id, step)
);

CREATE TABLE job_attempts (
    job_id        TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    token         INTEGER NOT NULL,
    worker_id     TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    outcome       TEXT    NOT NULL,
    error_kind    TEXT,
    error_message TEXT,
    error_step    TEXT,
    PRIMARY KEY (job_id, token)
);
CREATE INDEX job_attempts_outcome ON job_attempts (outcome);
