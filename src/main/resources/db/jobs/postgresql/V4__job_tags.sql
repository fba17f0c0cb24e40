-- The cost allocation tags the job was submitted with, as a JSON object of strings, so that the worker's ledger rows
-- carry them as a synchronous request's do.
ALTER TABLE jobs ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
