package dev.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.StorageConfig;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path folder;

    @Test
    void sqlite_connections_are_durable_wal_with_foreign_keys_and_a_busy_timeout() {
        // given
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("p.db")))) {
            // when
            String journal = pragma(database, "journal_mode");
            String synchronous = pragma(database, "synchronous");
            String foreignKeys = pragma(database, "foreign_keys");
            String busyTimeout = pragma(database, "busy_timeout");

            // then
            assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
            assertThat(journal).isEqualTo("wal");
            assertThat(synchronous).isEqualTo("2");
            assertThat(foreignKeys).isEqualTo("1");
            assertThat(busyTimeout).isEqualTo(Long.toString(Database.BUSY_TIMEOUT.toMillis()));
        }
    }

    @Test
    void a_failed_transaction_commits_nothing() {
        // given
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("p.db")))) {
            database.inTransaction("create", connection -> update(connection, "CREATE TABLE t (v INTEGER)"));

            // when
            assertThatThrownBy(() -> database.inTransaction("insert then fail", connection -> {
                        update(connection, "INSERT INTO t VALUES (1)");
                        return update(connection, "INSERT INTO missing VALUES (1)");
                    }))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("insert then fail: ");

            // then
            int rows = database.read("count", connection -> {
                try (Statement statement = connection.createStatement();
                        ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                    count.next();
                    return count.getInt(1);
                }
            });
            assertThat(rows).isZero();
        }
    }

    @Test
    void the_dialect_comes_from_the_url_and_an_unknown_one_is_named_without_its_query() {
        assertThat(Dialect.of("jdbc:postgresql://db/pipewright")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.of("jdbc:sqlite:./p.db")).isEqualTo(Dialect.SQLITE);
        assertThatThrownBy(() -> Dialect.of("jdbc:mysql://db/p?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/p")
                .hasMessageNotContaining("secret");
    }

    @Test
    void a_migration_namespace_must_be_a_plain_name() {
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("p.db")))) {
            assertThatThrownBy(() -> database.migrate("../jobs"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'../jobs'");
        }
    }

    private static String pragma(Database database, String name) {
        return database.read("pragma", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    private static int update(java.sql.Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}
