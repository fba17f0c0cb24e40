package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStatus;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.model.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job is pinned to the configuration generation its attempt started on; a reload applies to the next job. */
class JobGenerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final MockWebServer provider = new MockWebServer();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        // An upstream that answers every chat at once, except the one whose prompt asks to be held.
        provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                JsonNode body = parse(request.getBody().string(StandardCharsets.UTF_8));
                requests.add(body);
                if (body.toString().contains("hold")) {
                    held.countDown();
                    release.await();
                }
                return new MockResponse.Builder()
                        .addHeader("Content-Type", "application/json")
                        .body("""
                                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "%s",
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"},
                                              "finish_reason": "stop"}],
                                 "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}
                                """.formatted(body.path("model").asText()))
                        .build();
            }
        });
        provider.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        provider.close();
    }

    @Test
    void a_job_running_during_a_reload_finishes_on_its_generation_and_the_next_job_runs_on_the_new_one()
            throws Exception {
        // given: a job whose first step is held at the provider
        try (Engine engine = Engine.start(config("model-before", "Before"));
                JobBackend jobs = JobBackend.open(engine.config().storage(), Clock.system());
                WorkerPool workers = jobs.startWorkers(engine, 1, 1)) {
            Job running = jobs.store()
                    .enqueue(JobSubmission.of("default", "story", JSON.readTree("{\"text\": \"hold\"}")))
                    .job();
            held.await();

            // when: a reload changes the model and the prompts, then the held step answers
            engine.swap(config("model-after", "After"));
            release.countDown();
            Job finished = awaitSucceeded(jobs, running.id());
            Job next = jobs.store()
                    .enqueue(JobSubmission.of("default", "story", JSON.readTree("{\"text\": \"next\"}")))
                    .job();
            awaitSucceeded(jobs, next.id());

            // then: both steps of the first job ran on the old model and prompts, both of the next on the new
            assertThat(requests).hasSize(4);
            assertThat(requests.subList(0, 2)).allSatisfy(request -> {
                assertThat(request.path("model").asText()).isEqualTo("model-before");
                assertThat(request.toString()).contains("Before");
            });
            assertThat(requests.subList(2, 4)).allSatisfy(request -> {
                assertThat(request.path("model").asText()).isEqualTo("model-after");
                assertThat(request.toString()).contains("After");
            });
            assertThat(finished.result().orElseThrow().toString()).contains("model-before");
        }
    }

    private static Job awaitSucceeded(JobBackend jobs, String id) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> jobs.store().find("default", id).orElseThrow(),
                        job -> job.status() == JobStatus.SUCCEEDED);
    }

    private PipewrightConfig config(String model, String tag) {
        return ConfigLoader.parse(
                """
                storage: {url: "jdbc:sqlite:%s"}
                providers:
                  upstream: {kind: openai, base_url: "%s"}
                models:
                  chat: {provider: upstream, model: %s, timeout: 60s}
                pipelines:
                  story:
                    steps:
                      first: {model: chat, prompt: "%s one {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "%s two {{steps.first.text}}"}
                """.formatted(folder.resolve("jobs.db"), provider.url("/v1"), model, tag, tag), "test.yaml");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
