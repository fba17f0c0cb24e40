package dev.pipewright.store;

import java.util.Locale;

/** The database engines Pipewright stores its state in, told apart by the JDBC URL. */
public enum Dialect {
    /** The embedded default: one file, WAL journal, {@code synchronous=FULL}. */
    SQLITE,
    /** Shared by any number of gateways and workers. */
    POSTGRESQL;

    /** The dialect of {@code jdbcUrl}. */
    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException(
                "storage.url must start with jdbc:sqlite: or jdbc:postgresql:, but was '" + redacted(jdbcUrl) + "'");
    }

    /** The folder name of this dialect's migrations, {@code db/NAMESPACE/FOLDER}. */
    public String folder() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The URL without its query, where a password may sit. */
    static String redacted(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
