package dev.pipewright.jobs.webhook;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteWebhookDispatcherTest extends WebhookDispatcherContract {
    @TempDir
    Path folder;

    @Override
    String storageUrl() {
        return "jdbc:sqlite:" + folder.resolve("p.db");
    }
}
