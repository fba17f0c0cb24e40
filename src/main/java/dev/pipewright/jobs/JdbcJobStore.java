package dev.pipewright.jobs;

import dev.pipewright.config.QueueConfig;
import dev.pipewright.jobs.internal.StepOutputCodec;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import dev.pipewright.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link JobStore} on a SQL database. Both dialects share every statement but the claim, where SQLite's single
 * writer and PostgreSQL's row locks call for different SQL; reads live in {@link JobReads}. Each method is one
 * transaction, committed before it returns.
 */
abstract sealed class JdbcJobStore implements JobStore permits SqliteJobStore, PostgresJobStore {
    static final String NAMESPACE = "jobs";
    private static final String FENCE = " WHERE id = ? AND lease_token = ? AND status = 'running'";

    final Database database;
    final Clock clock;
    private final JobReads reads;
    private final List<Runnable> enqueueListeners = new CopyOnWriteArrayList<>();

    JdbcJobStore(Database database, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.reads = new JobReads(database, clock);
        database.migrate(NAMESPACE);
    }

    static Database requireDialect(Database database, Dialect dialect) {
        if (database.dialect() != dialect) {
            throw new IllegalArgumentException(
                    "this job store needs a " + dialect + " database, but was given " + database.dialect());
        }
        return database;
    }

    private static final String TAKE = "UPDATE jobs SET status = 'running', lease_token = lease_token + 1,"
            + " attempts = attempts + 1, worker_id = ?, lease_expires_at = ?, updated_at = ?";

    /**
     * What selects a candidate row for a claim: {@code FOR UPDATE SKIP LOCKED} where concurrent claims run in
     * parallel and must pass over each other's candidates; empty where claims are serialized anyway.
     */
    abstract String lockClause();

    /**
     * Makes claims of {@code queues} wait for each other within their transactions where the database would run
     * them in parallel and a cap on running jobs must hold across them.
     */
    abstract void serializeClaims(Connection connection, QueueConfig queues) throws SQLException;

    @Override
    public Enqueued enqueue(JobSubmission submission) {
        Instant now = clock.instant();
        Enqueued enqueued = database.inTransaction("enqueue a job", connection -> {
            Optional<Job> created = insert(connection, submission, now);
            if (created.isPresent()) {
                return new Enqueued(created.get(), true);
            }
            Job existing = reads.byIdempotencyKey(
                            connection,
                            submission.tenant(),
                            submission.idempotencyKey().orElseThrow())
                    .orElseThrow(() -> new IllegalStateException("an idempotency key conflicted with no job"));
            return new Enqueued(existing, false);
        });
        if (enqueued.created()) {
            enqueueListeners.forEach(Runnable::run);
        }
        return enqueued;
    }

    private Optional<Job> insert(Connection connection, JobSubmission submission, Instant now) throws SQLException {
        String sql = "INSERT INTO jobs (id, tenant, pipeline, input, idempotency_key, webhook_url, status,"
                + " max_attempts, created_at, updated_at, run_at, priority, traceparent, tags, variant)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING " + JobRows.COLUMNS;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JobRows.bind(
                    statement,
                    UUID.randomUUID().toString(),
                    submission.tenant(),
                    submission.pipeline(),
                    JobRows.write(submission.input()),
                    submission.idempotencyKey(),
                    submission.webhookUrl(),
                    submission.maxAttempts(),
                    now,
                    now,
                    submission.runAt().filter(now::isBefore).orElse(now),
                    submission.priority().rank(),
                    submission.traceparent(),
                    JobRows.writeTags(submission.tags()),
                    Optional.of(submission.variant()).filter(variant -> !variant.isEmpty()));
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<ClaimedJob> claim(String workerId, Duration leaseFor, QueueConfig queues) {
        while (true) {
            Claim claim = claimOnce(workerId, leaseFor, queues);
            if (!claim.deadLettered()) {
                return claim.job();
            }
        }
    }

    /** A claimed job, none, or a job the claim found out of attempts and sent to the dead letter queue. */
    private record Claim(Optional<ClaimedJob> job, boolean deadLettered) {}

    private Claim claimOnce(String workerId, Duration leaseFor, QueueConfig queues) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(leaseFor);
        return database.inTransaction("claim a job", connection -> {
            serializeClaims(connection, queues);
            Optional<Job> taken = take(
                    connection,
                    "seq = (SELECT seq FROM jobs WHERE status = 'running' AND lease_expires_at <= ?"
                            + " ORDER BY lease_expires_at LIMIT 1" + lockClause() + ")",
                    workerId,
                    expiresAt,
                    now,
                    now);
            if (taken.isEmpty()) {
                for (long seq : FairClaim.candidates(connection, now, queues, lockClause())) {
                    taken = take(connection, "seq = ? AND status = 'queued'", workerId, expiresAt, now, seq);
                    if (taken.isPresent()) {
                        break;
                    }
                }
            }
            if (taken.isEmpty()) {
                return new Claim(Optional.empty(), false);
            }
            Job job = taken.get();
            endAttempt(connection, job.id(), job.leaseToken() - 1, AttemptOutcome.LEASE_EXPIRED, Optional.empty());
            if (job.attempts() > job.maxAttempts()) {
                deadLetterAbandoned(connection, job, now);
                return new Claim(Optional.empty(), true);
            }
            execute(
                    connection,
                    "INSERT INTO job_attempts (job_id, token, worker_id, started_at, outcome) VALUES (?, ?, ?, ?, ?)",
                    job.id(),
                    job.leaseToken(),
                    workerId,
                    now,
                    AttemptOutcome.RUNNING.jsonName());
            Lease lease = new Lease(job.id(), job.leaseToken(), workerId, expiresAt);
            return new Claim(Optional.of(new ClaimedJob(job, lease)), false);
        });
    }

    /** Marks the job {@code where} selects running under a new lease; empty when it selects none. */
    private static Optional<Job> take(
            Connection connection, String where, String workerId, Instant expiresAt, Instant now, Object selector)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement(TAKE + " WHERE " + where + " RETURNING " + JobRows.COLUMNS)) {
            JobRows.bind(statement, workerId, expiresAt, now, selector);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(JobRows.job(row)) : Optional.empty();
            }
        }
    }

    /**
     * Only a lease that expired on the last allowed attempt leaves a job with more attempts than allowed (every
     * failure that a worker reports on the last attempt dead-letters it at once): its workers keep dying on it.
     */
    private static void deadLetterAbandoned(Connection connection, Job job, Instant now) throws SQLException {
        execute(
                connection,
                "UPDATE jobs SET status = 'dead', attempts = max_attempts, finished_at = ?, updated_at = ?,"
                        + " worker_id = NULL, lease_expires_at = NULL, error_kind = 'lease_expired',"
                        + " error_message = ?, error_step = NULL WHERE id = ?",
                now,
                now,
                "the lease expired on each of " + job.maxAttempts() + " attempts: the workers died or stalled",
                job.id());
    }

    @Override
    public Lease heartbeat(Lease lease, Duration leaseFor) {
        Instant expiresAt = clock.instant().plus(leaseFor);
        int updated = database.inTransaction(
                "renew a lease",
                connection -> execute(
                        connection,
                        "UPDATE jobs SET lease_expires_at = ?" + FENCE,
                        expiresAt,
                        lease.jobId(),
                        lease.token()));
        if (updated == 0) {
            throw new LeaseLostException(lease.jobId(), lease.token(), "heartbeat");
        }
        return new Lease(lease.jobId(), lease.token(), lease.workerId(), expiresAt);
    }

    @Override
    public void recordStep(Lease lease, String step, StepOutput output) {
        Instant now = clock.instant();
        database.inTransaction("journal step '" + step + "'", connection -> {
            fence(connection, lease, now, "journal step '" + step + "'");
            return execute(
                    connection,
                    "INSERT INTO job_steps (job_id, step, position, kind, output, token, recorded_at)"
                            + " VALUES (?, ?, (SELECT COUNT(*) FROM job_steps WHERE job_id = ?), ?, ?, ?, ?)"
                            + " ON CONFLICT (job_id, step) DO NOTHING",
                    lease.jobId(),
                    step,
                    lease.jobId(),
                    StepOutputCodec.kind(output),
                    StepOutputCodec.encode(output),
                    lease.token(),
                    now);
        });
    }

    @Override
    public Map<String, StepOutput> journal(String jobId) {
        return reads.journal(jobId);
    }

    @Override
    public Job complete(Lease lease, String resultJson) {
        Objects.requireNonNull(resultJson, "resultJson");
        return end(
                lease,
                "complete",
                "status = 'succeeded', result = ?, finished_at = ?",
                List.of(resultJson, clock.instant()),
                AttemptOutcome.SUCCEEDED,
                Optional.empty());
    }

    @Override
    public Job scheduleRetry(Lease lease, JobError error, Instant runAt) {
        return end(
                lease, "retry", "status = 'queued', run_at = ?", List.of(runAt), AttemptOutcome.RETRY_SCHEDULED, error);
    }

    @Override
    public Job snooze(Lease lease, JobError error, Instant runAt) {
        return end(
                lease,
                "snooze",
                "status = 'queued', run_at = ?, attempts = attempts - 1",
                List.of(runAt),
                AttemptOutcome.SNOOZED,
                error);
    }

    @Override
    public Job release(Lease lease) {
        return end(
                lease,
                "release",
                "status = 'queued', run_at = ?, attempts = attempts - 1",
                List.of(clock.instant()),
                AttemptOutcome.RELEASED,
                Optional.empty());
    }

    @Override
    public Job deadLetter(Lease lease, JobError error) {
        return end(
                lease,
                "dead letter",
                "status = 'dead', finished_at = ?",
                List.of(clock.instant()),
                AttemptOutcome.DEAD_LETTERED,
                error);
    }

    private Job end(Lease lease, String what, String set, List<Object> values, AttemptOutcome outcome, JobError error) {
        return end(lease, what, set, values, outcome, Optional.of(error));
    }

    /** Ends the attempt of {@code lease}: sets {@code set} on the job (fenced), records the outcome. */
    private Job end(
            Lease lease,
            String what,
            String set,
            List<Object> values,
            AttemptOutcome outcome,
            Optional<JobError> error) {
        List<Object> parameters = new ArrayList<>(values);
        parameters.add(clock.instant());
        String errorColumns = "";
        if (error.isPresent()) {
            errorColumns = ", error_kind = ?, error_message = ?, error_step = ?";
            parameters.addAll(List.of(
                    error.get().kind(), error.get().message(), error.get().step()));
        }
        parameters.addAll(List.of(lease.jobId(), lease.token()));
        String sql = "UPDATE jobs SET " + set + ", updated_at = ?, worker_id = NULL, lease_expires_at = NULL"
                + errorColumns + FENCE + " RETURNING " + JobRows.COLUMNS;
        return database.inTransaction(what + " job " + lease.jobId(), connection -> {
            Job job;
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                JobRows.bind(statement, parameters.toArray());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw new LeaseLostException(lease.jobId(), lease.token(), what);
                    }
                    job = JobRows.job(row);
                }
            }
            endAttempt(connection, lease.jobId(), lease.token(), outcome, error);
            return job;
        });
    }

    @Override
    public Optional<Job> cancel(String tenant, String jobId) {
        Instant now = clock.instant();
        return database.inTransaction("cancel job " + jobId, connection -> {
            Optional<Job> before = reads.find(connection, tenant, jobId);
            if (before.isEmpty() || before.get().status().isFinal()) {
                return before;
            }
            execute(
                    connection,
                    "UPDATE jobs SET status = 'cancelled', finished_at = ?, updated_at = ?, worker_id = NULL,"
                            + " lease_expires_at = NULL WHERE id = ?",
                    now,
                    now,
                    jobId);
            endAttempt(connection, jobId, before.get().leaseToken(), AttemptOutcome.CANCELLED, Optional.empty());
            return reads.find(connection, tenant, jobId);
        });
    }

    @Override
    public Optional<Job> replay(String tenant, String jobId) {
        Instant now = clock.instant();
        return database.inTransaction("replay job " + jobId, connection -> {
            Optional<Job> before = reads.find(connection, tenant, jobId);
            if (before.isEmpty()) {
                return before;
            }
            if (before.get().status() != JobStatus.DEAD) {
                throw new IllegalStateException("job " + jobId + " is "
                        + before.get().status().jsonName() + "; only a dead-lettered job can be replayed");
            }
            execute(
                    connection,
                    "UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, updated_at = ?, finished_at = NULL"
                            + " WHERE id = ?",
                    now,
                    now,
                    jobId);
            return reads.find(connection, tenant, jobId);
        });
    }

    @Override
    public Optional<Job> find(String tenant, String jobId) {
        return reads.find(tenant, jobId);
    }

    @Override
    public List<AttemptRecord> attempts(String tenant, String jobId) {
        return reads.attempts(tenant, jobId);
    }

    @Override
    public List<StepRecord> steps(String tenant, String jobId) {
        return reads.steps(tenant, jobId);
    }

    @Override
    public Page<Job> list(JobQuery query) {
        return reads.list(query);
    }

    @Override
    public Page<DlqEntry> deadLetters(String tenant, Optional<String> cursor, int limit) {
        return reads.deadLetters(tenant, cursor, limit);
    }

    @Override
    public QueueStats stats() {
        return reads.stats();
    }

    @Override
    public void whenEnqueued(Runnable listener) {
        enqueueListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Touches the job under the lease, or throws: inside a transaction this also locks the row until commit. */
    private static void fence(Connection connection, Lease lease, Instant now, String what) throws SQLException {
        int updated = execute(connection, "UPDATE jobs SET updated_at = ?" + FENCE, now, lease.jobId(), lease.token());
        if (updated == 0) {
            throw new LeaseLostException(lease.jobId(), lease.token(), what);
        }
    }

    private void endAttempt(
            Connection connection, String jobId, long token, AttemptOutcome outcome, Optional<JobError> error)
            throws SQLException {
        execute(
                connection,
                "UPDATE job_attempts SET outcome = ?, ended_at = ?, error_kind = ?, error_message = ?, error_step = ?"
                        + " WHERE job_id = ? AND token = ? AND outcome = 'running'",
                outcome.jsonName(),
                clock.instant(),
                error.map(JobError::kind),
                error.map(JobError::message),
                error.flatMap(JobError::step),
                jobId,
                token);
    }

    static int execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JobRows.bind(statement, values);
            return statement.executeUpdate();
        }
    }
}
