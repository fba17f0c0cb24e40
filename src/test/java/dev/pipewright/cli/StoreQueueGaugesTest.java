package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.store.Database;
import dev.pipewright.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreQueueGaugesTest {
    @TempDir
    Path folder;

    @Test
    void reads_the_queue_from_the_store_at_most_once_a_second() {
        // given
        FakeClock clock = new FakeClock();
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")))) {
            JobStore store = JobStores.open(database, clock);
            StoreQueueGauges gauges = new StoreQueueGauges(store, clock);
            store.enqueue(JobSubmission.of("default", "p", new ObjectMapper().createObjectNode()));
            assertThat(gauges.depth()).isEqualTo(1);

            // when
            store.enqueue(JobSubmission.of("default", "p", new ObjectMapper().createObjectNode()));
            long withinTheSecond = gauges.depth();
            clock.advance(Duration.ofSeconds(1));
            long afterIt = gauges.depth();

            // then
            assertThat(withinTheSecond).isEqualTo(1);
            assertThat(afterIt).isEqualTo(2);
            assertThat(gauges.inFlight()).isZero();
            assertThat(gauges.deadLetters()).isZero();
        }
    }
}
