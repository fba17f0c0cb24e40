package dev.pipewright.jobs;

import dev.pipewright.jobs.internal.StepOutputCodec;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queries of the job store: lookups scoped by tenant, pages keyed by the job's sequence number (an opaque
 * cursor to callers), and the queue gauges. Each runs as one statement or on one connection in auto-commit mode.
 */
final class JobReads {
    private final Database database;
    private final Clock clock;

    JobReads(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    Optional<Job> find(String tenant, String jobId) {
        return database.read("read job " + jobId, connection -> find(connection, tenant, jobId));
    }

    Optional<Job> find(Connection connection, String tenant, String jobId) throws SQLException {
        return one(connection, "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE tenant = ? AND id = ?", tenant, jobId);
    }

    Optional<Job> byIdempotencyKey(Connection connection, String tenant, String key) throws SQLException {
        return one(
                connection,
                "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE tenant = ? AND idempotency_key = ?",
                tenant,
                key);
    }

    Map<String, StepOutput> journal(String jobId) {
        return database.read("read the journal of job " + jobId, connection -> {
            Map<String, StepOutput> outputs = new LinkedHashMap<>();
            String sql = "SELECT step, kind, output FROM job_steps WHERE job_id = ? ORDER BY position";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                JobRows.bind(statement, jobId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        outputs.put(
                                rows.getString("step"),
                                StepOutputCodec.decode(rows.getString("kind"), rows.getString("output")));
                    }
                }
            }
            return outputs;
        });
    }

    List<StepRecord> steps(String tenant, String jobId) {
        String sql = "SELECT s.step, s.kind, s.output, s.token, s.recorded_at FROM job_steps s"
                + " JOIN jobs j ON j.id = s.job_id WHERE j.tenant = ? AND j.id = ? ORDER BY s.position";
        return database.read("read the steps of job " + jobId, connection -> {
            List<StepRecord> steps = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                JobRows.bind(statement, tenant, jobId);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        steps.add(new StepRecord(
                                rows.getString("step"),
                                StepOutputCodec.decode(rows.getString("kind"), rows.getString("output")),
                                rows.getLong("token"),
                                Instant.ofEpochMilli(rows.getLong("recorded_at"))));
                    }
                }
            }
            return steps;
        });
    }

    List<AttemptRecord> attempts(String tenant, String jobId) {
        return database.read("read the attempts of job " + jobId, connection -> attempts(connection, tenant, jobId));
    }

    private static List<AttemptRecord> attempts(Connection connection, String tenant, String jobId)
            throws SQLException {
        String sql = "SELECT a.token, a.worker_id, a.started_at, a.ended_at, a.outcome, a.error_kind,"
                + " a.error_message, a.error_step FROM job_attempts a JOIN jobs j ON j.id = a.job_id"
                + " WHERE j.tenant = ? AND j.id = ? ORDER BY a.token";
        List<AttemptRecord> attempts = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JobRows.bind(statement, tenant, jobId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    attempts.add(JobRows.attempt(rows));
                }
            }
        }
        return attempts;
    }

    Page<Job> list(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE tenant = ?");
        List<Object> values = new ArrayList<>(List.of(query.tenant()));
        query.status().ifPresent(status -> {
            sql.append(" AND status = ?");
            values.add(status.jsonName());
        });
        query.pipeline().ifPresent(pipeline -> {
            sql.append(" AND pipeline = ?");
            values.add(pipeline);
        });
        return page(sql, values, query.cursor(), query.limit());
    }

    Page<DlqEntry> deadLetters(String tenant, Optional<String> cursor, int limit) {
        JobQuery query = new JobQuery(tenant, Optional.of(JobStatus.DEAD), Optional.empty(), cursor, limit);
        Page<Job> jobs = list(query);
        List<DlqEntry> entries = new ArrayList<>();
        for (Job job : jobs.items()) {
            entries.add(new DlqEntry(job, attempts(tenant, job.id())));
        }
        return new Page<>(entries, jobs.nextCursor());
    }

    /** A page newest first: one row more than asked says whether another page follows. */
    private Page<Job> page(StringBuilder sql, List<Object> values, Optional<String> cursor, int limit) {
        cursor.ifPresent(after -> {
            sql.append(" AND seq < ?");
            values.add(parseCursor(after));
        });
        sql.append(" ORDER BY seq DESC LIMIT ?");
        values.add(limit + 1);
        return database.read("list jobs", connection -> {
            List<Long> sequence = new ArrayList<>();
            List<Job> jobs = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                JobRows.bind(statement, values.toArray());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sequence.add(rows.getLong("seq"));
                        jobs.add(JobRows.job(rows));
                    }
                }
            }
            if (jobs.size() <= limit) {
                return new Page<>(jobs, Optional.empty());
            }
            return new Page<>(jobs.subList(0, limit), Optional.of(Long.toString(sequence.get(limit - 1))));
        });
    }

    private static long parseCursor(String cursor) {
        try {
            long after = Long.parseLong(cursor);
            if (after > 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value, like any other malformed cursor.
        }
        throw new IllegalArgumentException("not a cursor of this listing: '" + cursor + "'");
    }

    QueueStats stats() {
        Instant now = clock.instant();
        String sql = "SELECT"
                + " (SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND run_at <= ?) AS due,"
                + " (SELECT COUNT(*) FROM jobs WHERE status = 'queued' AND run_at > ?) AS scheduled,"
                + " (SELECT COUNT(*) FROM jobs WHERE status = 'running') AS in_flight,"
                + " (SELECT MIN(run_at) FROM jobs WHERE status = 'queued' AND run_at <= ?) AS oldest,"
                + " (SELECT COUNT(*) FROM jobs WHERE status = 'dead') AS dead,"
                + " (SELECT COUNT(*) FROM job_attempts WHERE outcome = 'retry_scheduled') AS retries";
        return database.read("read queue gauges", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                JobRows.bind(statement, now, now, now);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    Duration oldest = JobRows.instant(row, "oldest")
                            .map(runAt -> Duration.between(runAt, now))
                            .orElse(Duration.ZERO);
                    return new QueueStats(
                            row.getLong("due"),
                            row.getLong("scheduled"),
                            row.getLong("in_flight"),
                            oldest,
                            row.getLong("dead"),
                            row.getLong("retries"));
                }
            }
        });
    }

    private static Optional<Job> one(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JobRows.bind(statement, values);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.empty();
            }
        }
    }
}
