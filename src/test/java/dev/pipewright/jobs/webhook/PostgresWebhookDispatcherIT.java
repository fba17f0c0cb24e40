package dev.pipewright.jobs.webhook;

import dev.pipewright.jobs.TestDatabases;
import org.junit.jupiter.api.AfterEach;

/** The webhook contract on the real PostgreSQL server, in a schema of its own for each test. */
class PostgresWebhookDispatcherIT extends WebhookDispatcherContract {
    private String url;

    @Override
    String storageUrl() {
        if (url == null) {
            url = TestDatabases.freshPostgresSchema("webhooks");
        }
        return url;
    }

    @AfterEach
    void dropSchema() {
        if (url != null) {
            TestDatabases.dropPostgresSchema(url);
        }
    }
}
