-- One row per budget window whose 80% alert has been sent: the first replica to insert it sends the alert, so that
-- several replicas send it once between them.
CREATE TABLE cost_budget_alerts (
    budget        TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    claimed_at    INTEGER NOT NULL,
    PRIMARY KEY (budget, window_start)
);
