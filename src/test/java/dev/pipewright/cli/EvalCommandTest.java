package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.StorageConfig;
import dev.pipewright.release.EvalRecord;
import dev.pipewright.release.ReleaseStore;
import dev.pipewright.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval gate as a CI step: exit codes on prepared datasets, and the stored result the promotion gate reads. */
class EvalCommandTest {
    private static final Path RESOURCES = Path.of("src/test/resources/eval");

    @TempDir
    Path dir;

    private Path config;

    private record Outcome(int exitCode, String out, String err) {}

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("pipewright.yaml");
        Files.writeString(
                config,
                Files.readString(RESOURCES.resolve("pipewright.yaml")) + "storage: {url: \"jdbc:sqlite:"
                        + dir.resolve("release.db") + "\"}\n");
    }

    @Test
    void a_version_that_meets_the_thresholds_exits_zero() {
        // when
        Outcome outcome = eval("stable", "labelled.jsonl");

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).contains("label_accuracy        1.000 over 5 items", "ok   label_accuracy", "passed");
        assertThat(outcome.out()).contains("contains              1.000 over 1 items");
    }

    @Test
    void a_version_below_a_threshold_exits_one_and_its_failure_is_stored_for_the_gate() {
        // when
        Outcome outcome = eval("prose", "labelled.jsonl");

        // then
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out()).contains("FAIL label_accuracy 0.000 >= 0.800", "failed");
        List<EvalRecord> stored = storedEvals();
        assertThat(stored).hasSize(1);
        assertThat(stored.getFirst().variant()).isEqualTo("prose");
        assertThat(stored.getFirst().passed()).isFalse();
    }

    @Test
    void a_dataset_the_version_gets_wrong_exits_one() {
        // when
        Outcome outcome = eval("stable", "mislabelled.jsonl");

        // then the stable version agrees with two labels in five
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out()).contains("label_accuracy        0.400 over 5 items");
    }

    @Test
    void a_threshold_from_the_command_line_overrides_the_configured_one() {
        // when
        Outcome outcome = eval("stable", "mislabelled.jsonl", "--min", "label_accuracy=0.4");

        // then
        assertThat(outcome.exitCode()).isZero();
    }

    @Test
    void an_unknown_version_or_a_broken_dataset_exits_two() throws Exception {
        // given
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, "{\"input\": {\"text\": \"a\"}}\nnot json\n{\"input\": 3}\n");

        // when
        Outcome unknown = eval("nope", "labelled.jsonl");
        Outcome bad =
                execute("eval", "--config", config.toString(), "--pipeline", "triage", "--dataset", broken.toString());

        // then
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no version 'nope'", "stable, prose");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("broken.jsonl:2: not JSON", "broken.jsonl:3: input: expected a JSON object");
    }

    private Outcome eval(String version, String dataset, String... more) {
        String[] args = {
            "eval",
            "--config",
            config.toString(),
            "--pipeline",
            "triage",
            "--version",
            version,
            "--dataset",
            RESOURCES.resolve(dataset).toString()
        };
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return execute(all);
    }

    private List<EvalRecord> storedEvals() {
        try (Database database = Database.open(new StorageConfig("jdbc:sqlite:" + dir.resolve("release.db")))) {
            return ReleaseStore.open(database).evals("triage", Optional.empty(), 10);
        }
    }

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
