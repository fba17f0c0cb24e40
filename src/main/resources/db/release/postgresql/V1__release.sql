-- Release state shared by every replica. Instants are epoch milliseconds (UTC).

-- One row per candidate version of a deployment: its share of traffic and where its canary stands. A new candidate
-- version (a changed definition) gets a row of its own; revision orders concurrent writers (compare and set).
CREATE TABLE release_rollouts (
    deployment      TEXT             NOT NULL,
    candidate       TEXT             NOT NULL,
    version         TEXT             NOT NULL,
    state           TEXT             NOT NULL,
    step            INTEGER          NOT NULL,
    weight          DOUBLE PRECISION NOT NULL,
    step_started_at BIGINT           NOT NULL,
    started_at      BIGINT           NOT NULL,
    updated_at      BIGINT           NOT NULL,
    revision        BIGINT           NOT NULL,
    PRIMARY KEY (deployment, candidate, version)
);

CREATE TABLE release_decisions (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment TEXT   NOT NULL,
    candidate  TEXT   NOT NULL,
    version    TEXT   NOT NULL,
    at         BIGINT NOT NULL,
    action     TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    reason     TEXT   NOT NULL,
    numbers    TEXT   NOT NULL
);
CREATE INDEX release_decisions_of ON release_decisions (deployment, seq);

-- Every served run of a deployed pipeline, for canary analysis over a window.
CREATE TABLE release_observations (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment TEXT             NOT NULL,
    variant    TEXT             NOT NULL,
    version    TEXT             NOT NULL,
    request_id TEXT             NOT NULL,
    at         BIGINT           NOT NULL,
    failed     INTEGER          NOT NULL,
    latency_ms BIGINT           NOT NULL,
    cost_usd   DOUBLE PRECISION NOT NULL,
    quality    DOUBLE PRECISION
);
CREATE INDEX release_observations_window ON release_observations (deployment, variant, version, at);
CREATE INDEX release_observations_request ON release_observations (request_id);

-- Outputs of the same input from two versions: live vs shadow, or recorded vs replayed.
CREATE TABLE release_pairs (
    seq                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment           TEXT             NOT NULL,
    candidate            TEXT             NOT NULL,
    version              TEXT             NOT NULL,
    source               TEXT             NOT NULL CHECK (source IN ('shadow', 'replay')),
    at                   BIGINT           NOT NULL,
    request_id           TEXT             NOT NULL,
    baseline_output      TEXT             NOT NULL,
    candidate_output     TEXT,
    candidate_error      TEXT,
    baseline_latency_ms  BIGINT           NOT NULL,
    candidate_latency_ms BIGINT           NOT NULL,
    baseline_cost_usd    DOUBLE PRECISION NOT NULL,
    candidate_cost_usd   DOUBLE PRECISION NOT NULL
);
CREATE INDEX release_pairs_of ON release_pairs (deployment, source, at);

CREATE TABLE release_evals (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment TEXT    NOT NULL,
    variant    TEXT    NOT NULL,
    version    TEXT    NOT NULL,
    at         BIGINT  NOT NULL,
    dataset    TEXT    NOT NULL,
    items      INTEGER NOT NULL,
    passed     INTEGER NOT NULL,
    scores     TEXT    NOT NULL
);
CREATE INDEX release_evals_of ON release_evals (deployment, version, seq);

-- Live requests kept for replay (opt-in per deployment, deleted after the retention).
CREATE TABLE release_recordings (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment TEXT             NOT NULL,
    at         BIGINT           NOT NULL,
    request_id TEXT             NOT NULL,
    tenant     TEXT             NOT NULL,
    variant    TEXT             NOT NULL,
    version    TEXT             NOT NULL,
    input      TEXT             NOT NULL,
    output     TEXT,
    failed     INTEGER          NOT NULL,
    latency_ms BIGINT           NOT NULL,
    cost_usd   DOUBLE PRECISION NOT NULL
);
CREATE INDEX release_recordings_window ON release_recordings (deployment, at);
