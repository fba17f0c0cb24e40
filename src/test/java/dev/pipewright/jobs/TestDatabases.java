package dev.pipewright.jobs;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Databases for tests: a SQLite file in a temporary folder, or a fresh schema on the PostgreSQL server of the
 * integration tests (127.0.0.1:5432, database {@code test}, user {@code postgres}, trust auth).
 */
public final class TestDatabases {
    static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private TestDatabases() {}

    static String sqliteUrl(Path folder) {
        return "jdbc:sqlite:" + folder.resolve("pipewright.db");
    }

    /** Creates a new, empty schema and returns the URL of a connection that uses it. */
    public static String freshPostgresSchema(String purpose) {
        String schema = purpose.toLowerCase(Locale.ROOT) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + POSTGRES_SERVER + " is needed by this test", e);
        }
        return POSTGRES_SERVER + "&currentSchema=" + schema;
    }

    /** Drops the schema a URL of {@link #freshPostgresSchema} uses, with everything in it. */
    public static void dropPostgresSchema(String url) {
        String schema = url.substring(url.indexOf("&currentSchema=") + "&currentSchema=".length());
        try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("schema " + schema + " could not be dropped", e);
        }
    }

    public static Database open(String url) {
        return Database.open(new StorageConfig(url));
    }

    /** Empties the job tables, keeping the schema: a clean queue for the next test. */
    static void emptyJobTables(Database database) {
        database.inTransaction("empty the job tables", connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM job_steps");
                statement.executeUpdate("DELETE FROM job_attempts");
                return statement.executeUpdate("DELETE FROM jobs");
            }
        });
    }
}
