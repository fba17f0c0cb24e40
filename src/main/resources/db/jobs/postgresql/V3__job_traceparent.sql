-- The W3C traceparent of the span that submitted the job, so that the worker continues the submitter's trace.
ALTER TABLE jobs ADD COLUMN traceparent TEXT;
