-- One row per schedule and fire time: its primary key is what makes a fire time run once across all replicas.
-- Instants are epoch milliseconds (UTC).
CREATE TABLE schedule_runs (
    schedule    TEXT    NOT NULL,
    fire_time   BIGINT  NOT NULL,
    -- cron (on time), missed (a fire time that passed while no replica ran), manual (POST /v1/schedules/NAME/run)
    trigger     TEXT    NOT NULL CHECK (trigger IN ('cron', 'missed', 'manual')),
    status      TEXT    NOT NULL CHECK (status IN ('claimed', 'enqueued', 'skipped', 'failed')),
    claimed_by  TEXT    NOT NULL,
    claimed_at  BIGINT  NOT NULL,
    finished_at BIGINT,
    jobs        INTEGER NOT NULL DEFAULT 0,
    -- A JSON array of the ids of the run's jobs (the first 1,000).
    job_ids     TEXT    NOT NULL DEFAULT '[]',
    problems    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    PRIMARY KEY (schedule, fire_time)
);
CREATE INDEX schedule_runs_latest ON schedule_runs (schedule, claimed_at);
