-- Priorities (0 interactive, 1 batch) and the index the fair claim walks: per tenant, its due jobs in claim order.
ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_fair ON jobs (status, tenant, priority, run_at, seq);
