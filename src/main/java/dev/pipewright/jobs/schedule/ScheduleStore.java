package dev.pipewright.jobs.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.pipewright.model.Json;
import dev.pipewright.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The runs of every schedule, in the {@code schedules} namespace of the shared database (SQLite or PostgreSQL). A run
 * is claimed by inserting its (schedule, fire time) row: the primary key lets exactly one replica win each fire time,
 * whatever the number of replicas. Thread safe.
 */
public final class ScheduleStore {
    static final String NAMESPACE = "schedules";
    static final int MAX_JOB_IDS = 1_000;
    private static final ObjectMapper JSON = Json.mapper();
    private static final String COLUMNS = "schedule, fire_time, trigger, status, claimed_by, claimed_at, finished_at,"
            + " jobs, job_ids, problems, error";

    private final Database database;

    public ScheduleStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
        database.migrate(NAMESPACE);
    }

    /** Claims the run of {@code fireTime}; false when a replica (this one or another) claimed it first. */
    public boolean claim(String schedule, Instant fireTime, String trigger, String by, Instant now) {
        return database.inTransaction(
                "claim a run of schedule " + schedule,
                connection -> update(
                                connection,
                                "INSERT INTO schedule_runs (schedule, fire_time, trigger, status, claimed_by, claimed_at)"
                                        + " VALUES (?, ?, ?, 'claimed', ?, ?) ON CONFLICT (schedule, fire_time) DO NOTHING",
                                schedule,
                                fireTime.toEpochMilli(),
                                trigger,
                                by,
                                now.toEpochMilli())
                        == 1);
    }

    /**
     * Takes over a run whose replica claimed it before {@code staleBefore} and never finished it (it died while
     * queueing the jobs); false when another replica took it over first.
     */
    public boolean retake(ScheduleRun stale, String by, Instant now) {
        return database.inTransaction(
                "take over a run of schedule " + stale.schedule(),
                connection -> update(
                                connection,
                                "UPDATE schedule_runs SET claimed_by = ?, claimed_at = ? WHERE schedule = ? AND fire_time = ?"
                                        + " AND status = 'claimed' AND claimed_at = ?",
                                by,
                                now.toEpochMilli(),
                                stale.schedule(),
                                stale.fireTime().toEpochMilli(),
                                stale.claimedAt().toEpochMilli())
                        == 1);
    }

    /** Ends a claimed run with {@code status} ({@code enqueued}, {@code skipped} or {@code failed}). */
    public void finish(
            String schedule,
            Instant fireTime,
            String status,
            List<String> jobIds,
            int jobs,
            int problems,
            Optional<String> error,
            Instant now) {
        String ids = write(jobIds.subList(0, Math.min(jobIds.size(), MAX_JOB_IDS)));
        database.inTransaction(
                "end a run of schedule " + schedule,
                connection -> update(
                        connection,
                        "UPDATE schedule_runs SET status = ?, finished_at = ?, jobs = ?, job_ids = ?, problems = ?, error = ?"
                                + " WHERE schedule = ? AND fire_time = ?",
                        status,
                        now.toEpochMilli(),
                        jobs,
                        ids,
                        problems,
                        error.orElse(null),
                        schedule,
                        fireTime.toEpochMilli()));
    }

    /** The latest fire time any replica claimed on the cron (on time or missed); manual runs do not count. */
    public Optional<Instant> lastFireTime(String schedule) {
        return database.read("read the last fire time of schedule " + schedule, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT MAX(fire_time) FROM schedule_runs WHERE schedule = ? AND trigger <> 'manual'")) {
                statement.setString(1, schedule);
                try (ResultSet row = statement.executeQuery()) {
                    long value = row.next() ? row.getLong(1) : 0;
                    return row.wasNull() || value == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
                }
            }
        });
    }

    /** The schedule's runs, latest claimed first. */
    public List<ScheduleRun> runs(String schedule, int limit) {
        return database.read(
                "read the runs of schedule " + schedule,
                connection -> select(
                        connection,
                        "SELECT " + COLUMNS
                                + " FROM schedule_runs WHERE schedule = ? ORDER BY claimed_at DESC, fire_time"
                                + " DESC LIMIT ?",
                        schedule,
                        limit));
    }

    /** The latest run that queued its jobs; its claim time is the folder inputs' "new since" mark. */
    public Optional<ScheduleRun> lastEnqueued(String schedule) {
        return database.read(
                "read the last run of schedule " + schedule,
                connection -> select(
                                connection,
                                "SELECT " + COLUMNS + " FROM schedule_runs WHERE schedule = ? AND status = 'enqueued'"
                                        + " ORDER BY claimed_at DESC LIMIT 1",
                                schedule)
                        .stream()
                        .findFirst());
    }

    /** Runs claimed before {@code before} and never finished. */
    public List<ScheduleRun> staleClaims(Instant before) {
        return database.read(
                "read unfinished schedule runs",
                connection -> select(
                        connection,
                        "SELECT " + COLUMNS + " FROM schedule_runs WHERE status = 'claimed' AND claimed_at < ?",
                        before.toEpochMilli()));
    }

    private static List<ScheduleRun> select(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                List<ScheduleRun> runs = new ArrayList<>();
                while (rows.next()) {
                    long finished = rows.getLong("finished_at");
                    Optional<Instant> finishedAt =
                            rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
                    runs.add(new ScheduleRun(
                            rows.getString("schedule"),
                            Instant.ofEpochMilli(rows.getLong("fire_time")),
                            rows.getString("trigger"),
                            rows.getString("status"),
                            rows.getString("claimed_by"),
                            Instant.ofEpochMilli(rows.getLong("claimed_at")),
                            finishedAt,
                            rows.getInt("jobs"),
                            read(rows.getString("job_ids")),
                            rows.getInt("problems"),
                            Optional.ofNullable(rows.getString("error"))));
                }
                return runs;
            }
        }
    }

    private static int update(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case null -> statement.setNull(i + 1, Types.VARCHAR);
                case Long number -> statement.setLong(i + 1, number);
                case Integer number -> statement.setInt(i + 1, number);
                default -> statement.setString(i + 1, values[i].toString());
            }
        }
    }

    private static String write(List<String> ids) {
        try {
            return JSON.writeValueAsString(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of ids is always JSON", e);
        }
    }

    private static List<String> read(String ids) {
        try {
            return JSON.readValue(ids, TypeFactory.defaultInstance().constructCollectionType(List.class, String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedule_runs.job_ids holds no JSON array: " + ids, e);
        }
    }
}
