package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final Path DEFAULT_CONFIG = Path.of("pipewright.yaml");
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void validate_accepts_the_shipped_default_configuration() {
        // when
        Outcome outcome = execute("validate", DEFAULT_CONFIG.toString());

        // then
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("ok");
    }

    @Test
    void validate_lists_every_problem_and_exits_non_zero() throws IOException {
        // given
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, """
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, timeout: soon, fallbacks: [missing]}
                pipelines:
                  p:
                    steps:
                      a: {model: chat, prompt: "hi", needs: [b]}
                      b: {model: chat, prompt: "hi", needs: [a]}
                """);

        // when
        Outcome outcome = execute("validate", broken.toString());

        // then
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err())
                .contains("models.chat.timeout")
                .contains("models.chat.fallbacks[0]")
                .contains("pipelines.p.steps");
    }

    @Test
    void run_prints_one_result_per_input_line_in_order() throws IOException {
        // given
        Path config = fastConfig();
        Path inputs = dir.resolve("inputs.jsonl");
        Files.writeString(inputs, """
                {"text": "first"}

                {"text": "second"}
                not json
                {"text": "third"}
                """);
        Path out = dir.resolve("out.jsonl");

        // when
        Outcome outcome = execute(
                "run", "echo", "--config", config.toString(), "--input", inputs.toString(), "--out", out.toString());

        // then
        List<JsonNode> lines = Files.readAllLines(out).stream().map(this::parse).toList();
        assertThat(lines).extracting(line -> line.get("line").asText()).containsExactly("1", "3", "4", "5");
        assertThat(lines.get(0).get("results").get("answer").asText()).isNotBlank();
        assertThat(lines.get(2).get("error").get("type").asText()).isEqualTo("invalid-input");
        assertThat(lines.get(3).get("pipeline").asText()).isEqualTo("echo");
        assertThat(outcome.exitCode()).as("one input failed").isEqualTo(1);
    }

    @Test
    void run_takes_each_file_of_a_folder_as_one_input() throws IOException {
        // given
        Path config = fastConfig();
        Path folder = Files.createDirectory(dir.resolve("docs"));
        Files.writeString(folder.resolve("b.txt"), "second document");
        Files.writeString(folder.resolve("a.txt"), "first document");

        // when
        Outcome outcome = execute("run", "echo", "--config", config.toString(), "--input", folder.toString());

        // then
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()
                        .lines()
                        .map(this::parse)
                        .map(line -> line.get("file").asText()))
                .containsExactly("a.txt", "b.txt");
    }

    @Test
    void trains_a_classifier_head_from_labelled_texts() throws IOException {
        // given
        Path examples = dir.resolve("labelled.jsonl");
        Files.writeString(examples, """
                {"text": "The pods restart after the kubelet kills them for memory.", "label": "ops"}
                {"text": "Scale the deployment to five replicas behind the load balancer.", "label": "ops"}
                {"text": "The node pool ran out of disk and the scheduler stopped placing pods.", "label": "ops"}
                {"text": "Roll back the release: the new image crashes on start.", "label": "ops"}
                {"text": "The buyer shall pay the invoice within thirty days of delivery.", "label": "contract"}
                {"text": "Either party may terminate this agreement with ninety days notice.", "label": "contract"}
                {"text": "The supplier's liability is capped at the fees paid in the last year.", "label": "contract"}
                {"text": "This agreement is governed by the laws of the State of New York.", "label": "contract"}
                """);
        Path head = dir.resolve("head.json");

        // when
        Outcome outcome = execute("train-classifier", "--input", examples.toString(), "--out", head.toString());

        // then
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(head).isRegularFile();
        assertThat(outcome.out())
                .contains("2 labels [ops, contract] from 8 examples", "100.0% of them classified right");
    }

    @Test
    void run_names_an_unknown_pipeline() throws IOException {
        // when
        Outcome outcome = execute(
                "run",
                "nope",
                "--config",
                fastConfig().toString(),
                "--input",
                fastConfig().toString());

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("no pipeline named 'nope'");
    }

    @Test
    void keys_create_prints_a_new_key_and_the_hash_to_configure() {
        // when
        Outcome outcome = execute("keys", "create", "--tenant", "acme");

        // then
        assertThat(outcome.exitCode()).isZero();
        java.util.regex.Matcher key =
                java.util.regex.Pattern.compile("pw_[A-Za-z0-9_-]{43}").matcher(outcome.out());
        assertThat(key.find()).as(outcome.out()).isTrue();
        assertThat(outcome.out())
                .contains("acme: {api_keys: [\"" + dev.pipewright.gateway.auth.ApiKeys.hash(key.group()) + "\"]}");
    }

    @Test
    void keys_create_refuses_a_tenant_name_it_cannot_use() {
        // when
        Outcome outcome = execute("keys", "create", "--tenant", "no spaces");

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("'no spaces' is not a tenant name");
    }

    private Path fastConfig() throws IOException {
        Path config = dir.resolve("fast.yaml");
        Files.writeString(config, """
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, simulation: {latency: 1ms}}
                pipelines:
                  echo:
                    steps:
                      answer: {model: chat, prompt: "Answer: {{input.text}}"}
                """);
        return config;
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
