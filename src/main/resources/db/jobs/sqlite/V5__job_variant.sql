-- The deployment variant chosen for the job when it was submitted (stable or a candidate's name; NULL: the pipeline
-- had no deployment), so that the worker runs that version's definition.
ALTER TABLE jobs ADD COLUMN variant TEXT;
