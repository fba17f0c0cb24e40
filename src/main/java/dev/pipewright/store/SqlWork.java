package dev.pipewright.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one connection of a {@link Database}, inside a transaction or a single read. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
