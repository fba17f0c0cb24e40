package dev.pipewright.release;

import dev.pipewright.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The tables of the {@code release} namespace, on SQLite or PostgreSQL (the statements are the same on both). Every
 * replica reads and writes the same rows, so a decision taken on one takes effect on all. Thread safe.
 */
public final class ReleaseStore {
    private static final String ROLLOUT_COLUMNS =
            "deployment, candidate, version, state, step, weight, step_started_at, started_at, updated_at, revision";

    private final Database database;

    private ReleaseStore(Database database) {
        this.database = database;
    }

    /** The store on {@code database}, its tables brought up to date. */
    public static ReleaseStore open(Database database) {
        database.migrate("release");
        return new ReleaseStore(database);
    }

    List<Rollout> rollouts() {
        return database.read("read rollouts", connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT " + ROLLOUT_COLUMNS + " FROM release_rollouts")) {
                List<Rollout> rollouts = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        rollouts.add(rollout(rows));
                    }
                }
                return rollouts;
            }
        });
    }

    /** Creates the rollout of a candidate version seen for the first time; a row that exists is left as it is. */
    boolean create(Rollout initial, Decision decision) {
        return database.inTransaction("create a rollout", connection -> {
            int inserted;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO release_rollouts ("
                    + ROLLOUT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                bindRollout(insert, initial);
                inserted = insert.executeUpdate();
            }
            if (inserted == 1) {
                insertDecision(connection, decision);
            }
            return inserted == 1;
        });
    }

    /**
     * Replaces a rollout whose revision is still {@code next.revision() - 1} and records {@code decision} with it, in
     * one transaction; false when another writer changed the row first (nothing is written then).
     */
    boolean transition(Rollout next, Decision decision) {
        return database.inTransaction("change a rollout", connection -> {
            int updated;
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE release_rollouts SET state = ?, step = ?, weight = ?, step_started_at = ?, updated_at = ?,"
                            + " revision = ? WHERE deployment = ? AND candidate = ? AND version = ? AND revision = ?")) {
                update.setString(1, next.state().jsonName());
                update.setInt(2, next.step());
                update.setDouble(3, next.weight());
                update.setLong(4, next.stepStartedAt().toEpochMilli());
                update.setLong(5, next.updatedAt().toEpochMilli());
                update.setLong(6, next.revision());
                update.setString(7, next.deployment());
                update.setString(8, next.candidate());
                update.setString(9, next.version());
                update.setLong(10, next.revision() - 1);
                updated = update.executeUpdate();
            }
            if (updated == 1) {
                insertDecision(connection, decision);
            }
            return updated == 1;
        });
    }

    List<Decision> decisions(String deployment, int limit) {
        return database.read("read decisions", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT deployment, candidate, version, at, action, actor, reason, numbers FROM release_decisions"
                            + " WHERE deployment = ? ORDER BY seq DESC LIMIT ?")) {
                select.setString(1, deployment);
                select.setInt(2, limit);
                List<Decision> decisions = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        decisions.add(new Decision(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                Instant.ofEpochMilli(rows.getLong(4)),
                                rows.getString(5),
                                rows.getString(6),
                                rows.getString(7),
                                rows.getString(8)));
                    }
                }
                return decisions.reversed();
            }
        });
    }

    /** Stores served runs, in one transaction. */
    void observe(List<ObservedRun> runs) {
        if (runs.isEmpty()) {
            return;
        }
        database.inTransaction("store observations", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO release_observations (deployment, variant, version, request_id, at, failed,"
                            + " latency_ms, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ObservedRun run : runs) {
                    insert.setString(1, run.deployment());
                    insert.setString(2, run.variant());
                    insert.setString(3, run.version());
                    insert.setString(4, run.requestId());
                    insert.setLong(5, run.at().toEpochMilli());
                    insert.setInt(6, run.observation().failed() ? 1 : 0);
                    insert.setLong(7, run.observation().latencyMs());
                    insert.setDouble(8, run.observation().costUsd());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** The runs of one variant version since {@code since}. */
    List<Observation> observations(String deployment, String variant, String version, Instant since) {
        return database.read("read observations", connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT failed, latency_ms, cost_usd, quality FROM release_observations"
                            + " WHERE deployment = ? AND variant = ? AND version = ? AND at >= ?")) {
                select.setString(1, deployment);
                select.setString(2, variant);
                select.setString(3, version);
                select.setLong(4, since.toEpochMilli());
                List<Observation> observations = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        boolean failed = rows.getInt(1) == 1;
                        long latencyMs = rows.getLong(2);
                        double costUsd = rows.getDouble(3);
                        // wasNull answers for the column read last, so the quality is read just before asking it.
                        double quality = rows.getDouble(4);
                        OptionalDouble scored = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(quality);
                        observations.add(new Observation(failed, latencyMs, costUsd, scored));
                    }
                }
                return observations;
            }
        });
    }

    /** Attaches an online quality score to the run of {@code requestId}; false when no such run is stored. */
    boolean score(String deployment, String requestId, double quality) {
        return database.read("store a quality score", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE release_observations SET quality = ? WHERE deployment = ? AND request_id = ?")) {
                update.setDouble(1, quality);
                update.setString(2, deployment);
                update.setString(3, requestId);
                return update.executeUpdate() > 0;
            }
        });
    }

    /** Deletes observations and recordings older than their retention. */
    void prune(Instant observationsBefore, String deployment, Optional<Instant> recordingsBefore) {
        database.inTransaction("prune release data", connection -> {
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM release_observations WHERE deployment = ? AND at < ?")) {
                delete.setString(1, deployment);
                delete.setLong(2, observationsBefore.toEpochMilli());
                delete.executeUpdate();
            }
            if (recordingsBefore.isPresent()) {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM release_recordings WHERE deployment = ? AND at < ?")) {
                    delete.setString(1, deployment);
                    delete.setLong(2, recordingsBefore.get().toEpochMilli());
                    delete.executeUpdate();
                }
            }
            return null;
        });
    }

    public void pair(Pair pair) {
        database.inTransaction("store a pair", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO release_pairs (deployment, candidate, version, source, at, request_id,"
                            + " baseline_output, candidate_output, candidate_error, baseline_latency_ms,"
                            + " candidate_latency_ms, baseline_cost_usd, candidate_cost_usd)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, pair.deployment());
                insert.setString(2, pair.candidate());
                insert.setString(3, pair.version());
                insert.setString(4, pair.source());
                insert.setLong(5, pair.at().toEpochMilli());
                insert.setString(6, pair.requestId());
                insert.setString(7, pair.baselineOutput());
                setText(insert, 8, pair.candidateOutput());
                setText(insert, 9, pair.candidateError());
                insert.setLong(10, pair.baselineLatencyMs());
                insert.setLong(11, pair.candidateLatencyMs());
                insert.setDouble(12, pair.baselineCostUsd());
                insert.setDouble(13, pair.candidateCostUsd());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The pairs of {@code source} for a deployment in [from, to), oldest first, at most {@code limit}. */
    public List<Pair> pairs(String deployment, String source, Instant from, Instant to, int limit) {
        return database.read("read pairs", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT deployment, candidate, version, source, at, request_id, baseline_output,"
                            + " candidate_output, candidate_error, baseline_latency_ms, candidate_latency_ms,"
                            + " baseline_cost_usd, candidate_cost_usd FROM release_pairs"
                            + " WHERE deployment = ? AND source = ? AND at >= ? AND at < ? ORDER BY seq LIMIT ?")) {
                select.setString(1, deployment);
                select.setString(2, source);
                select.setLong(3, from.toEpochMilli());
                select.setLong(4, to.toEpochMilli());
                select.setInt(5, limit);
                List<Pair> pairs = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pairs.add(new Pair(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                Instant.ofEpochMilli(rows.getLong(5)),
                                rows.getString(6),
                                rows.getString(7),
                                Optional.ofNullable(rows.getString(8)),
                                Optional.ofNullable(rows.getString(9)),
                                rows.getLong(10),
                                rows.getLong(11),
                                rows.getDouble(12),
                                rows.getDouble(13)));
                    }
                }
                return pairs;
            }
        });
    }

    public void eval(EvalRecord eval) {
        database.inTransaction("store an evaluation", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO release_evals (deployment, variant, version, at, dataset, items, passed, scores)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, eval.deployment());
                insert.setString(2, eval.variant());
                insert.setString(3, eval.version());
                insert.setLong(4, eval.at().toEpochMilli());
                insert.setString(5, eval.dataset());
                insert.setInt(6, eval.items());
                insert.setInt(7, eval.passed() ? 1 : 0);
                insert.setString(8, eval.scores());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** The evaluations of a deployment, newest first; of one version when {@code version} is present. */
    public List<EvalRecord> evals(String deployment, Optional<String> version, int limit) {
        return database.read("read evaluations", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT deployment, variant, version, at, dataset, items, passed, scores FROM release_evals"
                            + " WHERE deployment = ?" + (version.isPresent() ? " AND version = ?" : "")
                            + " ORDER BY seq DESC LIMIT ?")) {
                int index = 1;
                select.setString(index++, deployment);
                if (version.isPresent()) {
                    select.setString(index++, version.get());
                }
                select.setInt(index, limit);
                List<EvalRecord> evals = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        evals.add(new EvalRecord(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                Instant.ofEpochMilli(rows.getLong(4)),
                                rows.getString(5),
                                rows.getInt(6),
                                rows.getInt(7) == 1,
                                rows.getString(8)));
                    }
                }
                return evals;
            }
        });
    }

    void record(List<Recording> recordings) {
        if (recordings.isEmpty()) {
            return;
        }
        database.inTransaction("store recordings", connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO release_recordings (deployment, at, request_id, tenant, variant, version, input,"
                            + " output, failed, latency_ms, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Recording recording : recordings) {
                    insert.setString(1, recording.deployment());
                    insert.setLong(2, recording.at().toEpochMilli());
                    insert.setString(3, recording.requestId());
                    insert.setString(4, recording.tenant());
                    insert.setString(5, recording.variant());
                    insert.setString(6, recording.version());
                    insert.setString(7, recording.input());
                    setText(insert, 8, recording.output());
                    insert.setInt(9, recording.failed() ? 1 : 0);
                    insert.setLong(10, recording.latencyMs());
                    insert.setDouble(11, recording.costUsd());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** The recordings of a deployment in [from, to), oldest first, at most {@code limit}. */
    public List<Recording> recordings(String deployment, Instant from, Instant to, int limit) {
        return database.read("read recordings", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT deployment, at, request_id, tenant, variant, version, input, output, failed, latency_ms,"
                            + " cost_usd FROM release_recordings WHERE deployment = ? AND at >= ? AND at < ?"
                            + " ORDER BY seq LIMIT ?")) {
                select.setString(1, deployment);
                select.setLong(2, from.toEpochMilli());
                select.setLong(3, to.toEpochMilli());
                select.setInt(4, limit);
                List<Recording> recordings = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recordings.add(new Recording(
                                rows.getString(1),
                                Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getString(5),
                                rows.getString(6),
                                rows.getString(7),
                                Optional.ofNullable(rows.getString(8)),
                                rows.getInt(9) == 1,
                                rows.getLong(10),
                                rows.getDouble(11)));
                    }
                }
                return recordings;
            }
        });
    }

    private static void insertDecision(Connection connection, Decision decision) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO release_decisions (deployment, candidate, version, at, action, actor, reason, numbers)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, decision.deployment());
            insert.setString(2, decision.candidate());
            insert.setString(3, decision.version());
            insert.setLong(4, decision.at().toEpochMilli());
            insert.setString(5, decision.action());
            insert.setString(6, decision.by());
            insert.setString(7, decision.reason());
            insert.setString(8, decision.numbers());
            insert.executeUpdate();
        }
    }

    private static void bindRollout(PreparedStatement statement, Rollout rollout) throws SQLException {
        statement.setString(1, rollout.deployment());
        statement.setString(2, rollout.candidate());
        statement.setString(3, rollout.version());
        statement.setString(4, rollout.state().jsonName());
        statement.setInt(5, rollout.step());
        statement.setDouble(6, rollout.weight());
        statement.setLong(7, rollout.stepStartedAt().toEpochMilli());
        statement.setLong(8, rollout.startedAt().toEpochMilli());
        statement.setLong(9, rollout.updatedAt().toEpochMilli());
        statement.setLong(10, rollout.revision());
    }

    private static Rollout rollout(ResultSet rows) throws SQLException {
        return new Rollout(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                RolloutState.of(rows.getString(4)),
                rows.getInt(5),
                rows.getDouble(6),
                Instant.ofEpochMilli(rows.getLong(7)),
                Instant.ofEpochMilli(rows.getLong(8)),
                Instant.ofEpochMilli(rows.getLong(9)),
                rows.getLong(10));
    }

    private static void setText(PreparedStatement statement, int index, Optional<String> text) throws SQLException {
        if (text.isPresent()) {
            statement.setString(index, text.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }
}
