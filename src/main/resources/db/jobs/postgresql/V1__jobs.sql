-- Jobs, their step journal and their attempt history. Instants are epoch milliseconds (UTC).
CREATE TABLE jobs (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    tenant           TEXT    NOT NULL,
    pipeline         TEXT    NOT NULL,
    input            TEXT    NOT NULL,
    idempotency_key  TEXT,
    webhook_url      TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'dead', 'cancelled')),
    attempts         BIGINT  NOT NULL DEFAULT 0,
    max_attempts     BIGINT  NOT NULL,
    lease_token      BIGINT  NOT NULL DEFAULT 0,
    worker_id        TEXT,
    lease_expires_at BIGINT ,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    run_at           BIGINT  NOT NULL,
    finished_at      BIGINT ,
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
    token       BIGINT  NOT NULL,
    recorded_at BIGINT  NOT NULL,
    PRIMARY KEY (job_id, step)
);

CREATE TABLE job_attempts (
    job_id        TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    token         BIGINT  NOT NULL,
    worker_id     TEXT    NOT NULL,
    started_at    BIGINT  NOT NULL,
    ended_at      BIGINT ,
    outcome       TEXT    NOT NULL,
    error_kind    TEXT,
    error_message TEXT,
    error_step    TEXT,
    PRIMARY KEY (job_id, token)
);
CREATE INDEX job_attempts_outcome ON job_attempts (outcome);
