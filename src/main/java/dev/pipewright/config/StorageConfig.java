package dev.pipewright.config;

/** The JDBC URL of the database that holds jobs, the journal, the ledger and release state. */
public record StorageConfig(String url) {
    public static final StorageConfig DEFAULT = new StorageConfig("jdbc:sqlite:./pipewright.db");
}
