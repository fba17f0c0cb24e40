package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.ClaimedJob;
import dev.pipewright.jobs.JobError;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipewright jobs} and {@code pipewright dlq} against a SQLite database in a temporary folder. */
class JobsCommandTest {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private Database database;
    private JobStore store;

    @BeforeEach
    void databaseWithJobs() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("jobs.db");
        config = Files.writeString(dir.resolve("pipewright.yaml"), """
                storage: {url: "%s"}
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat-2025-01-01}
                pipelines:
                  two:
                    steps:
                      first: {model: chat, prompt: "{{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "{{steps.first.text}}"}
                """.formatted(url));
        database = Database.open(new StorageConfig(url));
        store = JobStores.open(database, Clock.system());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private record Outcome(int exitCode, String out, String err) {}

    private Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withConfig = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args), java.util.stream.Stream.of("--config", config.toString()))
                .toArray(String[]::new);
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(withConfig);
        return new Outcome(code, out.toString(), err.toString());
    }

    private String enqueue(String tenant) {
        return store.enqueue(
                        JobSubmission.of(tenant, "two", json.createObjectNode().put("text", "x")))
                .job()
                .id();
    }

    @Test
    void lists_the_tenants_jobs_by_status() {
        // given
        String queued = enqueue("default");
        String cancelled = enqueue("default");
        store.cancel("default", cancelled);
        String theirs = enqueue("acme");

        // when
        Outcome all = execute("jobs", "list");
        Outcome onlyCancelled = execute("jobs", "list", "--status", "cancelled");
        Outcome bad = execute("jobs", "list", "--status", "done");

        // then
        assertThat(all.exitCode()).isZero();
        assertThat(all.out()).contains(queued, cancelled).doesNotContain(theirs);
        assertThat(onlyCancelled.out()).contains(cancelled).doesNotContain(queued);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown job status 'done'");
    }

    @Test
    void shows_a_job_with_its_step_progress() throws Exception {
        // given
        String id = enqueue("default");
        ClaimedJob claimed = store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        store.recordStep(claimed.lease(), "first", new StepOutput.Text("one"));

        // when
        Outcome outcome = execute("jobs", "show", id);

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        JsonNode shown = json.readTree(outcome.out());
        assertThat(shown.get("status").asText()).isEqualTo("running");
        assertThat(shown.at("/progress/done").asInt()).isEqualTo(1);
        assertThat(shown.at("/progress/total").asInt()).isEqualTo(2);
        assertThat(execute("jobs", "show", "missing").exitCode()).isEqualTo(1);
    }

    @Test
    void cancels_a_waiting_job_but_not_another_tenants() {
        // given
        String mine = enqueue("default");
        String theirs = enqueue("acme");

        // when
        Outcome cancelled = execute("jobs", "cancel", mine);
        Outcome refused = execute("jobs", "cancel", theirs);

        // then
        assertThat(cancelled.exitCode()).isZero();
        assertThat(store.find("default", mine).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(store.find("acme", theirs).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void lists_and_replays_dead_letters() {
        // given
        String id = enqueue("default");
        ClaimedJob claimed = store.claim("w", Duration.ofSeconds(30)).orElseThrow();
        store.deadLetter(claimed.lease(), new JobError("invalid_input", "text is empty", Optional.empty()));

        // when
        Outcome listed = execute("dlq", "list");
        Outcome replayed = execute("dlq", "replay", id);
        Outcome again = execute("dlq", "replay", id);

        // then
        assertThat(listed.out()).contains(id).contains("invalid_input: text is empty");
        assertThat(replayed.exitCode()).as(replayed.err()).isZero();
        assertThat(store.find("default", id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(again.exitCode()).isEqualTo(1);
    }
}
