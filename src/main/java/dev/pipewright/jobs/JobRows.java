package dev.pipewright.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading rows of the job tables into records, and binding parameters; shared by both dialects. */
final class JobRows {
    static final String COLUMNS = "seq, id, tenant, pipeline, input, idempotency_key, webhook_url, status, attempts,"
            + " max_attempts, lease_token, worker_id, lease_expires_at, created_at, updated_at, run_at, finished_at,"
            + " result, error_kind, error_message, error_step, traceparent, tags, variant";
    static final String ATTEMPT_COLUMNS =
            "token, worker_id, started_at, ended_at, outcome, error_kind, error_message, error_step";

    private static final ObjectMapper JSON = Json.mapper();

    private JobRows() {}

    static Job job(ResultSet row) throws SQLException {
        return new Job(
                row.getString("id"),
                row.getString("tenant"),
                row.getString("pipeline"),
                json(row.getString("input")),
                Optional.ofNullable(row.getString("idempotency_key")),
                Optional.ofNullable(row.getString("webhook_url")),
                JobStatus.fromJsonName(row.getString("status")),
                row.getInt("attempts"),
                row.getInt("max_attempts"),
                row.getLong("lease_token"),
                instant(row, "created_at").orElseThrow(),
                instant(row, "updated_at").orElseThrow(),
                instant(row, "run_at").orElseThrow(),
                instant(row, "finished_at"),
                Optional.ofNullable(row.getString("result")).map(JobRows::json),
                error(row),
                Optional.ofNullable(row.getString("traceparent")),
                tags(row.getString("tags")),
                Optional.ofNullable(row.getString("variant")).orElse(""));
    }

    static List<Job> jobs(ResultSet rows) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        while (rows.next()) {
            jobs.add(job(rows));
        }
        return jobs;
    }

    static AttemptRecord attempt(ResultSet row) throws SQLException {
        return new AttemptRecord(
                row.getLong("token"),
                row.getString("worker_id"),
                instant(row, "started_at").orElseThrow(),
                instant(row, "ended_at"),
                AttemptOutcome.fromJsonName(row.getString("outcome")),
                error(row));
    }

    static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    static Optional<JobError> error(ResultSet row) throws SQLException {
        String kind = row.getString("error_kind");
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(
                new JobError(kind, row.getString("error_message"), Optional.ofNullable(row.getString("error_step"))));
    }

    /** Binds {@code values} from index 1: strings, numbers, instants (as epoch millis), optionals and nulls. */
    static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object value = values[i] instanceof Optional<?> optional ? optional.orElse(null) : values[i];
            switch (value) {
                case null -> statement.setNull(i + 1, Types.NULL);
                case Instant instant -> statement.setLong(i + 1, instant.toEpochMilli());
                case Long number -> statement.setLong(i + 1, number);
                case Integer number -> statement.setInt(i + 1, number);
                case String text -> statement.setString(i + 1, text);
                default ->
                    throw new IllegalArgumentException(
                            "cannot bind a " + value.getClass().getName());
            }
        }
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job input cannot be written as JSON", e);
        }
    }

    /** The allocation tags as a JSON object, keys in order. */
    static String writeTags(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("job tags cannot be written as JSON", e);
        }
    }

    private static Map<String, String> tags(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored tags of a job do not parse: " + text, e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON column does not parse", e);
        }
    }
}
