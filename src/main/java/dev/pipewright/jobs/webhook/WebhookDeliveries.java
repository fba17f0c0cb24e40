package dev.pipewright.jobs.webhook;

import dev.pipewright.model.Clock;
import dev.pipewright.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The durable record of webhook deliveries, in the {@code webhooks} migration namespace. Every change is committed
 * when a method returns, so a delivery survives restarts at every stage. Thread safe, and safe for several processes
 * sharing one database: a delivery is sent only by the dispatcher that {@link #claim}ed it.
 */
public final class WebhookDeliveries {
    private static final String COLUMNS = "id, tenant, job_id, url, state, event, payload, attempts, next_attempt_at,"
            + " last_status, last_error, created_at, delivered_at";

    private final Database database;
    private final Clock clock;

    public WebhookDeliveries(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        database.migrate("webhooks");
    }

    /**
     * Registers a delivery to {@code url} of the outcome of the tenant's job, unless the job has one already (a
     * resubmission with the same idempotency key): returns the first one then.
     */
    public WebhookDelivery expect(String tenant, String jobId, String url) {
        return register(tenant, jobId, url, "");
    }

    /**
     * Registers a delivery of the outcome a replayed job will reach, unless one is already waiting for it (the replay
     * was repeated): returns the waiting one then.
     */
    public WebhookDelivery expectAfterReplay(String tenant, String jobId, String url) {
        return register(tenant, jobId, url, " AND state = 'waiting'");
    }

    /**
     * Registers the deliveries that a submission committed its job for but never got to register (the process died,
     * or the database failed, between the two commits): every job that names a webhook URL has a delivery, so a 202
     * never loses its webhook. At most {@code limit} are adopted per call; returns how many were.
     */
    public int adoptOrphans(int limit) {
        List<String[]> orphans = database.read("find jobs whose webhook was never registered", connection -> {
            List<String[]> found = new ArrayList<>();
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT j.tenant, j.id, j.webhook_url FROM jobs j"
                            + " WHERE j.webhook_url IS NOT NULL AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d"
                            + " WHERE d.tenant = j.tenant AND d.job_id = j.id) ORDER BY j.seq LIMIT ?")) {
                select.setInt(1, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                    }
                }
            }
            return found;
        });
        orphans.forEach(orphan -> expect(orphan[0], orphan[1], orphan[2]));
        return orphans.size();
    }

    private WebhookDelivery register(String tenant, String jobId, String url, String onlyExisting) {
        return database.inTransaction("register a webhook delivery for job " + jobId, connection -> {
            Optional<WebhookDelivery> waiting = select(
                            connection,
                            "WHERE tenant = ? AND job_id = ?" + onlyExisting + " ORDER BY created_at, id",
                            statement -> {
                                statement.setString(1, tenant);
                                statement.setString(2, jobId);
                            })
                    .stream()
                    .findFirst();
            if (waiting.isPresent()) {
                return waiting.get();
            }
            long now = clock.millis();
            String id = "whd_" + UUID.randomUUID().toString().replace("-", "");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO webhook_deliveries (id, tenant,"
                            + " job_id, url, state, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, tenant);
                insert.setString(3, jobId);
                insert.setString(4, url);
                insert.setLong(5, now);
                insert.setLong(6, now);
                insert.setLong(7, now);
                insert.executeUpdate();
            }
            return select(connection, "WHERE id = ?", statement -> statement.setString(1, id))
                    .getFirst();
        });
    }

    /** Waiting and pending deliveries whose time has come and that no live claim holds, earliest first. */
    public List<WebhookDelivery> due(int limit) {
        long now = clock.millis();
        return database.read(
                "list due webhook deliveries",
                connection -> select(
                        connection,
                        "WHERE state IN ('waiting', 'pending') AND next_attempt_at <= ?"
                                + " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at LIMIT "
                                + limit,
                        statement -> {
                            statement.setLong(1, now);
                            statement.setLong(2, now);
                        }));
    }

    /** Takes {@code delivery} for this dispatcher until {@code until}; false when another one holds it. */
    public boolean claim(String id, Instant until) {
        long now = clock.millis();
        return update(
                        "claim webhook delivery " + id,
                        "UPDATE webhook_deliveries SET claimed_until = ?, updated_at = ? WHERE id = ?"
                                + " AND state IN ('waiting', 'pending') AND (claimed_until IS NULL OR claimed_until < ?)",
                        until.toEpochMilli(),
                        now,
                        id,
                        now)
                == 1;
    }

    /** Looks again at a waiting delivery at {@code next}: its job has not ended. */
    public void postpone(String id, Instant next) {
        update(
                "postpone webhook delivery " + id,
                "UPDATE webhook_deliveries SET next_attempt_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?",
                next.toEpochMilli(),
                clock.millis(),
                id);
    }

    /** Fixes what a waiting delivery will send, now that its job has ended. */
    public void ready(String id, String event, String payload) {
        update(
                "prepare webhook delivery " + id,
                "UPDATE webhook_deliveries SET state = 'pending', event = ?, payload = ?, updated_at = ? WHERE id = ?",
                event,
                payload,
                clock.millis(),
                id);
    }

    public void delivered(String id, int status) {
        long now = clock.millis();
        update(
                "mark webhook delivery " + id + " delivered",
                "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = ?,"
                        + " last_error = NULL, delivered_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?",
                status,
                now,
                now,
                id);
    }

    /** Records a failed attempt; the delivery is tried again at {@code retryAt}, or, when empty, is failed for good. */
    public void attemptFailed(String id, int status, String error, Optional<Instant> retryAt) {
        update(
                "record a failed attempt of webhook delivery " + id,
                "UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, last_status = ?, last_error = ?,"
                        + " next_attempt_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?",
                retryAt.isPresent() ? "pending" : "failed",
                status == 0 ? null : status,
                error,
                retryAt.map(Instant::toEpochMilli).orElse(clock.millis()),
                clock.millis(),
                id);
    }

    /** A delivery that can never be sent (no secret, the job is gone); it was not attempted. */
    public void abandon(String id, String error) {
        update(
                "give up webhook delivery " + id,
                "UPDATE webhook_deliveries SET state = 'failed', last_error = ?, claimed_until = NULL, updated_at = ?"
                        + " WHERE id = ?",
                error,
                clock.millis(),
                id);
    }

    public Optional<WebhookDelivery> find(String id) {
        return database.read(
                "find webhook delivery " + id,
                connection -> select(connection, "WHERE id = ?", statement -> statement.setString(1, id)).stream()
                        .findFirst());
    }

    /** The deliveries of the tenant's job, oldest first. */
    public List<WebhookDelivery> ofJob(String tenant, String jobId) {
        return database.read(
                "list the webhook deliveries of job " + jobId,
                connection ->
                        select(connection, "WHERE tenant = ? AND job_id = ? ORDER BY created_at, id", statement -> {
                            statement.setString(1, tenant);
                            statement.setString(2, jobId);
                        }));
    }

    private int update(String what, String sql, Object... values) {
        return database.inTransaction(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    if (values[i] == null) {
                        statement.setNull(i + 1, Types.INTEGER);
                    } else {
                        statement.setObject(i + 1, values[i]);
                    }
                }
                return statement.executeUpdate();
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static List<WebhookDelivery> select(Connection connection, String where, Binder binder)
            throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_deliveries " + where)) {
            binder.bind(statement);
            List<WebhookDelivery> deliveries = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    deliveries.add(row(rows));
                }
            }
            return deliveries;
        }
    }

    private static WebhookDelivery row(ResultSet rows) throws SQLException {
        int status = rows.getInt("last_status");
        OptionalInt lastStatus = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(status);
        long delivered = rows.getLong("delivered_at");
        Optional<Instant> deliveredAt =
                rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(delivered));
        return new WebhookDelivery(
                rows.getString("id"),
                rows.getString("tenant"),
                rows.getString("job_id"),
                rows.getString("url"),
                WebhookDelivery.State.valueOf(rows.getString("state").toUpperCase(Locale.ROOT)),
                Optional.ofNullable(rows.getString("event")),
                Optional.ofNullable(rows.getString("payload")),
                rows.getInt("attempts"),
                Instant.ofEpochMilli(rows.getLong("next_attempt_at")),
                lastStatus,
                Optional.ofNullable(rows.getString("last_error")),
                Instant.ofEpochMilli(rows.getLong("created_at")),
                deliveredAt);
    }
}
