package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eval gate's optional judge model: a chat model behind an OpenAI-compatible endpoint (a MockWebServer speaking
 * the OpenAI wire format) grades each answer from 0 to 10, and the judge's mean is held to its threshold.
 */
class EvalJudgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MockWebServer judge = new MockWebServer();
    private Path config;
    private Path dataset;

    private record Outcome(int exitCode, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        judge.start();
        config = dir.resolve("pipewright.yaml");
        Files.writeString(config, """
                providers:
                  sim: {kind: simulated}
                  grader: {kind: openai, base_url: "%s"}
                models:
                  sim-chat: {provider: sim, model: sim-chat-2025-01-01, simulation: {latency: 1ms}}
                  judge: {provider: grader, model: gpt-4o-mini-2024-07-18, retry: {attempts: 1}}
                pipelines:
                  triage:
                    steps:
                      label: {model: sim-chat, prompt: "Classify into technical, business, creative, legal: {{input.text}}"}
                deployments:
                  triage:
                    candidates:
                      prose:
                        pipeline:
                          steps:
                            label: {model: sim-chat, prompt: "Describe in words: {{input.text}}"}
                    eval: {judge: 0.7}
                storage: {url: "jdbc:sqlite:%s"}
                """.formatted(judge.url("/v1"), dir.resolve("release.db")));
        dataset = dir.resolve("tickets.jsonl");
        Files.writeString(dataset, """
                {"input": {"text": "The server returns 500 on login"}}
                {"input": {"text": "Quarterly revenue grew 12%"}}
                {"input": {"text": "A poem about the sea"}}
                {"input": {"text": "Review the supplier contract"}}
                """);
    }

    @AfterEach
    void stop() {
        judge.close();
    }

    @Test
    void answers_the_judge_grades_above_the_threshold_pass_and_exit_zero() throws Exception {
        // given the judge grades the four answers 9, 8, 7 and 8 out of 10
        grades("9", "8/10", "Score: 7", "8");

        // when
        Outcome outcome = eval();

        // then the mean, 0.8, meets the configured 0.7
        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("judge                 0.800 over 4 items", "ok   judge 0.800 >= 0.700", "passed");
        // and the judge was asked about each request and answer, with the grading instruction
        RecordedRequest first = judge.takeRequest(5, TimeUnit.SECONDS);
        JsonNode body = JSON.readTree(first.getBody().utf8());
        assertThat(body.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        String prompt = body.get("messages").toString();
        assertThat(prompt).contains("You grade answers", "Request: ", "The server returns 500 on login", "Answer: ");
        assertThat(storedEvals())
                .singleElement()
                .satisfies(eval -> assertThat(eval.passed()).isTrue());
    }

    @Test
    void answers_the_judge_grades_below_the_threshold_fail_and_exit_one() throws Exception {
        // given the judge grades the four answers 3, 5, 2 and 6 out of 10
        grades("3", "5", "2", "6");

        // when
        Outcome outcome = eval();

        // then the mean, 0.4, is below 0.7: the gate fails and the failure is stored for promotion
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out())
                .contains("judge                 0.400 over 4 items", "FAIL judge 0.400 >= 0.700", "failed");
        assertThat(storedEvals()).singleElement().satisfies(eval -> {
            assertThat(eval.passed()).isFalse();
            assertThat(eval.scores()).contains("\"judge\":0.4");
        });
    }

    @Test
    void a_threshold_on_the_command_line_holds_the_judge_to_it() throws Exception {
        // given the same grades as the failing run
        grades("3", "5", "2", "6");

        // when the gate asks for a mean of 0.4 only
        Outcome outcome = eval("--min", "judge=0.4");

        // then
        assertThat(outcome.exitCode()).as(outcome.out()).isZero();
    }

    @Test
    void an_unknown_judge_model_exits_two_before_any_run() {
        // when
        Outcome outcome = execute(
                "eval",
                "--config",
                config.toString(),
                "--pipeline",
                "triage",
                "--dataset",
                dataset.toString(),
                "--judge",
                "oracle");

        // then
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("--judge: unknown model 'oracle'");
        assertThat(judge.getRequestCount()).isZero();
    }

    private void grades(String... replies) {
        for (String reply : replies) {
            judge.enqueue(new MockResponse.Builder()
                    .addHeader("Content-Type", "application/json")
                    .body("""
                            {"id": "chatcmpl-1", "object": "chat.completion", "created": 1,
                             "model": "gpt-4o-mini-2024-07-18",
                             "choices": [{"index": 0, "message": {"role": "assistant", "content": "%s"},
                                          "finish_reason": "stop"}],
                             "usage": {"prompt_tokens": 40, "completion_tokens": 2, "total_tokens": 42}}
                            """.formatted(reply))
                    .build());
        }
    }

    private Outcome eval(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "eval",
                "--config",
                config.toString(),
                "--pipeline",
                "triage",
                "--dataset",
                dataset.toString(),
                "--judge",
                "judge"));
        args.addAll(List.of(more));
        return execute(args.toArray(String[]::new));
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
