package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.jobs.ClaimedJob;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.documents.DocumentText;
import dev.pipewright.jobs.documents.SampleDocuments;
import dev.pipewright.model.Clock;
import dev.pipewright.pipeline.StepOutput;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run documents --input DIR --queue} with the shipped configuration (its database moved to a temporary
 * folder): the offline document pipeline over real files, and a second run after a crash that skips what finished.
 */
class QueuedRunTest {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private Path documents;
    private String databaseUrl;

    @BeforeEach
    void shippedConfigWithItsOwnDatabase() throws Exception {
        databaseUrl = "jdbc:sqlite:" + dir.resolve("jobs.db");
        String shipped = Files.readString(Path.of("pipewright.yaml"), StandardCharsets.UTF_8);
        assertThat(shipped).contains("jdbc:sqlite:./pipewright.db");
        config = Files.writeString(
                dir.resolve("pipewright.yaml"), shipped.replace("jdbc:sqlite:./pipewright.db", databaseUrl));
        documents = Files.createDirectory(dir.resolve("docs"));
    }

    @Test
    void sends_each_document_through_the_queue_and_writes_one_line_per_document() throws Exception {
        // given
        SampleDocuments.text(
                documents, "a-note.txt", "Dr. Jane Smith said the merger with Acme Corp closes on 12 March 2026.");
        SampleDocuments.html(documents, "b-page.html", "Launch plan", "Globex Inc. will ship the beta in March 2026.");
        SampleDocuments.docx(documents, "c-memo.docx", "Initech LLC signed the contract.", "It is worth $1,200,000.");
        SampleDocuments.pdf(documents, "d-report.pdf", "Annual report of Umbrella Corporation for 2025.");

        // when
        Outcome outcome = runDocuments();

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        List<JsonNode> lines = lines(outcome.out());
        assertThat(lines)
                .extracting(line -> line.get("file").asText())
                .containsExactly("a-note.txt", "b-page.html", "c-memo.docx", "d-report.pdf");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("job_id").asText()).isNotBlank();
            assertThat(line.at("/results/summary").asText()).isNotBlank();
            assertThat(line.at("/results/embedding")).hasSize(384);
        });
        assertThat(lines.get(0).at("/results/summary").asText()).contains("Acme Corp");
        assertThat(lines.get(0).at("/results/entities").asText()).contains("Acme Corp");
        assertThat(lines.get(2).at("/results/entities").asText()).contains("$1,200,000");
        assertThat(lines.get(3).at("/results/summary").asText()).contains("Umbrella Corporation");
    }

    @Test
    void a_second_run_after_a_crash_skips_finished_documents_and_resumes_the_interrupted_one() throws Exception {
        // given a first run that finished two documents
        SampleDocuments.text(documents, "a.txt", "Globex Inc. reported revenue of $5 million in 2025.");
        SampleDocuments.text(documents, "b.txt", "Initech LLC opened an office in Berlin in March 2026.");
        assertThat(runDocuments().exitCode()).isZero();
        Map<String, Job> firstRun = jobsByFile();

        // and a third document whose run was killed after its summary step was journaled
        SampleDocuments.text(documents, "c.txt", "Umbrella Corporation hired 200 people in 2026.");
        String interrupted = crashedMidway("c.txt", "summary journaled before the crash");

        // when
        Outcome second = runDocuments();

        // then
        assertThat(second.exitCode()).as(second.err()).isZero();
        List<JsonNode> lines = lines(second.out());
        assertThat(lines).extracting(line -> line.get("file").asText()).containsExactly("a.txt", "b.txt", "c.txt");
        Map<String, Job> afterwards = jobsByFile();
        for (String file : List.of("a.txt", "b.txt")) {
            assertThat(afterwards.get(file).id()).isEqualTo(firstRun.get(file).id());
            assertThat(afterwards.get(file).attempts()).isEqualTo(1);
            assertThat(afterwards.get(file).updatedAt())
                    .isEqualTo(firstRun.get(file).updatedAt());
        }
        assertThat(afterwards).hasSize(3);
        assertThat(afterwards.get("c.txt").id()).isEqualTo(interrupted);
        assertThat(afterwards.get("c.txt").attempts()).isEqualTo(2);
        assertThat(lines.get(2).at("/results/summary").asText()).isEqualTo("summary journaled before the crash");
        assertThat(lines.get(2).at("/results/entities").asText()).contains("Umbrella Corporation");
    }

    /** Leaves the state a killed run leaves: the job enqueued, claimed under a lease that will lapse, one step done. */
    private String crashedMidway(String file, String summary) throws Exception {
        QueuedInputs.Item item = QueuedInputs.read(documents, json, DocumentText.withDefaultLimits()).stream()
                .filter(candidate -> candidate.ref().equals(file))
                .findFirst()
                .orElseThrow();
        try (Database database = Database.open(new StorageConfig(databaseUrl))) {
            JobStore store = JobStores.open(database, Clock.system());
            Job job = store.enqueue(JobSubmission.of(QueuedRun.TENANT, "documents", item.input())
                            .withIdempotencyKey(item.idempotencyKey()))
                    .job();
            ClaimedJob claimed =
                    store.claim("killed-worker", Duration.ofSeconds(1)).orElseThrow();
            assertThat(claimed.job().id()).isEqualTo(job.id());
            store.recordStep(claimed.lease(), "summary", new StepOutput.Text(summary));
            return job.id();
        }
    }

    private Map<String, Job> jobsByFile() {
        try (Database database = Database.open(new StorageConfig(databaseUrl))) {
            JobStore store = JobStores.open(database, Clock.system());
            return store.list(dev.pipewright.jobs.JobQuery.of(QueuedRun.TENANT, 100)).items().stream()
                    .collect(Collectors.toMap(job -> job.input().get("file").asText(), Function.identity()));
        }
    }

    private record Outcome(int exitCode, String out, String err) {}

    private Outcome runDocuments() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute("run", "documents", "--queue", "--input", documents.toString(), "--config", config.toString());
        return new Outcome(code, out.toString(), err.toString());
    }

    private List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }
}
