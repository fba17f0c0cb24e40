package dev.pipewright.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pipewright.config.StorageConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database behind {@code storage.url}: a pooled {@link DataSource}, the migrations of each feature and the one
 * place where SQLite and PostgreSQL differ in how connections and transactions behave.
 *
 * <p>SQLite allows one writer at a time. Its connections are opened in WAL mode with {@code synchronous=FULL} (a
 * commit is on disk when it returns), foreign keys on and a busy timeout, and every write transaction begins
 * {@code IMMEDIATE}, taking the write lock up front so that two writers never deadlock upgrading a read lock. Writers
 * of this process also queue on an in-process lock before asking SQLite: they are handed the turn as soon as it is
 * free instead of polling in SQLite's busy handler, which sleeps in growing steps; the busy timeout then only
 * arbitrates between processes sharing the file. The lock is not fair: a thread that arrives as the lock is freed
 * may go first, which measured faster than strict order. A small pool still lets reads run beside the one writer,
 * which WAL allows.
 *
 * <p>PostgreSQL gets a HikariCP pool; its transactions run at READ COMMITTED, and row locks order writers.
 *
 * <p>Each feature keeps its tables in its own migration namespace: scripts under {@code db/NAMESPACE/sqlite} or
 * {@code db/NAMESPACE/postgresql}, tracked in their own history table, so that jobs, cost and release never touch
 * each other's tables or version numbers. Thread safe.
 */
public final class Database implements AutoCloseable {
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
    private static final int SQLITE_POOL_SIZE = 8;
    private static final int POSTGRESQL_POOL_SIZE = 16;

    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final ReentrantLock sqliteWriter = new ReentrantLock();

    private Database(Dialect dialect, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /** Opens a pool on {@code storage.url}; no migration runs until a feature asks with {@link #migrate}. */
    public static Database open(StorageConfig storage) {
        Objects.requireNonNull(storage, "storage");
        Dialect dialect = Dialect.of(storage.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(storage.url());
        config.setPoolName("pipewright-" + dialect.folder());
        // Fail at once when the database is unreachable at start; later outages surface per call and heal.
        config.setInitializationFailTimeout(1);
        config.setConnectionTimeout(BUSY_TIMEOUT.toMillis());
        switch (dialect) {
            case SQLITE -> {
                config.setMaximumPoolSize(SQLITE_POOL_SIZE);
                config.addDataSourceProperty("journal_mode", "WAL");
                config.addDataSourceProperty("synchronous", "FULL");
                config.addDataSourceProperty("foreign_keys", "true");
                config.addDataSourceProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT.toMillis()));
                config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            }
            case POSTGRESQL -> {
                config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
                config.setMinimumIdle(2);
            }
        }
        return new Database(dialect, new HikariDataSource(config));
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The pooled connections, for work that {@link #inTransaction} and {@link #read} do not fit. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Brings the tables of {@code namespace} up to date from {@code classpath:db/NAMESPACE/DIALECT}, recording the
     * applied versions in the table {@code NAMESPACE_schema_history}. Safe to call from several processes at once.
     */
    public void migrate(String namespace) {
        if (namespace == null || !namespace.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "a migration namespace is lower case letters, digits and _, but was '" + namespace + "'");
        }
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/" + namespace + "/" + dialect.folder())
                .table(namespace + "_schema_history")
                // Other namespaces' tables already in the schema are no reason to refuse: start below V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /**
     * Runs {@code work} in one transaction and commits it before returning; rolls back and throws {@link
     * StoreException} when it fails. Work may run only once: it is not retried here.
     */
    public <T> T inTransaction(String what, SqlWork<T> work) {
        boolean serialized = dialect == Dialect.SQLITE;
        if (serialized) {
            sqliteWriter.lock();
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what, e);
        } finally {
            if (serialized) {
                sqliteWriter.unlock();
            }
        }
    }

    /** Runs {@code work} on a connection in auto-commit mode: for reads and single-statement writes. */
    public <T> T read(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
