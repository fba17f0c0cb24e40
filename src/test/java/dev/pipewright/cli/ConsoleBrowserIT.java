package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.Fault;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.gateway.Operations;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.jobs.WorkerPool;
import dev.pipewright.model.Clock;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console end to end in headless Chromium (Debian's chromium and chromedriver, driven by Selenium), against the
 * whole serve composition: engine, SQLite job store, workers, webhooks and the HTTP front. Models are simulated: in
 * process, and one provider over HTTP on the simulator server, which the test stops and starts again to fix it.
 * Saves a screenshot of each page, which the README shows (see {@link #SCREENSHOTS}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * Where the screenshots go: {@code target/console-screenshots}, or with {@code -Dconsole.screenshots=docs/console}
     * the README's own, so that an ordinary build leaves the work tree as it was.
     */
    private static final Path SCREENSHOTS =
            Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));

    private static final String MASTER = "console-master-key";
    private static final String ACME = "pw_acme-console-key";
    private static final String GLOBEX = "pw_globex-console-key";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path folder;

    private SimulatorServer remote;
    private int remotePort;
    private CostBackend costs;
    private Engine engine;
    private JobBackend jobs;
    private WorkerPool workers;
    private WebhookBackend webhooks;
    private ReleaseBackend releases;
    private HttpFront front;
    private WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.err.println("ConsoleBrowserIT SKIPPED: /usr/bin/chromium or /usr/bin/chromedriver is missing");
        }
        Assumptions.assumeTrue(
                present,
                "SKIPPED: the console's browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver); .ci/run installs them");
        remote = SimulatorServer.start(
                "127.0.0.1",
                0,
                remoteProfiles(Optional.of(Fault.CONTENT_FILTER)),
                Clock.system(),
                () -> ThreadLocalRandom.current().nextLong());
        remotePort = remote.port();
        Path configFile = folder.resolve("pipewright.yaml");
        Files.writeString(configFile, config());
        PipewrightConfig config = ConfigLoader.load(configFile);
        costs = CostBackend.open(config, Clock.system());
        engine = Engine.start(config, costs);
        jobs = JobBackend.open(config.storage(), Clock.system());
        workers = jobs.startWorkers(engine, 1, 4);
        webhooks = WebhookBackend.open(jobs, engine::config, Clock.system());
        releases = ReleaseBackend.start(jobs.database(), engine);
        front = HttpFront.start(
                engine,
                Optional.of(webhooks.jobsApi()),
                Operations.basic(),
                Optional.of(costs.api()),
                releases.parts(),
                configFile,
                Map.of("PIPEWRIGHT_MASTER_KEY", MASTER),
                new PrintWriter(new StringWriter()),
                "127.0.0.1",
                0);
        browser = chromium();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable part :
                new AutoCloseable[] {front, releases, webhooks, workers, jobs, engine, costs, remote}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // Closing what is left matters more than the first failure here.
            }
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(url("/console/login"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void an_operator_signs_in_with_the_master_key_and_sees_every_model() throws Exception {
        // when
        signIn(MASTER);

        // then
        assertThat(browser.getCurrentUrl()).endsWith("/console");
        assertThat(browser.findElement(By.id("readiness")).getText()).contains("ready");
        assertThat(browser.findElements(By.cssSelector("#models tr[data-model]")))
                .extracting(row -> row.getAttribute("data-model"))
                .contains("classifier", "analyst", "flaky", "remote");
        screenshot("overview");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        screenshot("overview-phone");
    }

    @Test
    void a_wrong_key_does_not_sign_in() {
        // when
        signIn("not-a-key");

        // then
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        assertThat(browser.findElement(By.cssSelector(".problem")).getText()).contains("not valid");
    }

    @Test
    void a_model_the_simulator_fails_shows_as_unavailable_without_reloading_the_page() throws Exception {
        // given
        signIn(MASTER);
        assertThat(availability("flaky")).isEqualTo("available");

        // when: calls fail until the circuit of flaky opens
        for (int call = 0; call < 3; call++) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url("/v1/pipelines/fragile")))
                            .header("Authorization", "Bearer " + MASTER)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"hello\"}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
        }

        // then: the overview's live part refreshes itself
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() -> availability("flaky").equals("unavailable"));
        assertThat(browser.findElement(By.cssSelector("tr[data-model='flaky']")).getText())
                .contains("open");
        assertThat(browser.findElement(By.id("readiness")).getText()).contains("unready");
    }

    @Test
    void a_dead_lettered_job_replayed_from_the_console_succeeds() throws Exception {
        // given: the remote model refuses every call, so the job dies at once
        String jobId = submit(ACME, "remote-summary");
        signIn(ACME);
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            browser.get(url("/console/dlq"));
            return !browser.findElements(By.cssSelector("#dlq tr[data-job='" + jobId + "']"))
                    .isEmpty();
        });
        assertThat(browser.findElement(By.cssSelector("#dlq tr[data-job='" + jobId + "']"))
                        .getText())
                .contains("content_filtered");
        screenshot("dead-letters");

        // when: the provider is fixed and the operator presses Replay
        remote.close();
        remote = SimulatorServer.start(
                "127.0.0.1",
                remotePort,
                remoteProfiles(Optional.empty()),
                Clock.system(),
                () -> ThreadLocalRandom.current().nextLong());
        clickAndWaitForNextPage(By.cssSelector("#dlq tr[data-job='" + jobId + "'] button.replay"));

        // then: the job page follows the job until it succeeds
        assertThat(browser.getCurrentUrl()).contains("/console/jobs/" + jobId);
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("Replay queued");
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("job-status")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.cssSelector("table.steps")).getText()).contains("remote");
        screenshot("job");
    }

    @Test
    void a_tenant_cannot_see_another_tenants_jobs() throws Exception {
        // given
        String acmeJob = submit(ACME, "analyze");
        String globexJob = submit(GLOBEX, "analyze");

        // when
        signIn(GLOBEX);
        browser.get(url("/console/jobs"));

        // then
        assertThat(browser.findElements(By.cssSelector("#jobs tr[data-job]")))
                .extracting(row -> row.getAttribute("data-job"))
                .contains(globexJob)
                .doesNotContain(acmeJob);
        browser.get(url("/console/jobs/" + acmeJob));
        assertThat(browser.findElement(By.cssSelector(".problem")).getText()).contains("No job with id");
        signOut();
        signIn(ACME);
        browser.get(url("/console/jobs"));
        assertThat(browser.findElements(By.cssSelector("#jobs tr[data-job]")))
                .extracting(row -> row.getAttribute("data-job"))
                .contains(acmeJob)
                .doesNotContain(globexJob);
        screenshot("jobs");
    }

    @Test
    void a_pipeline_run_from_its_form_shows_the_step_timeline() throws Exception {
        // given
        signIn(MASTER);
        browser.get(url("/console/pipelines"));
        assertThat(browser.findElements(By.cssSelector("section.pipeline[data-pipeline='analyze'] svg.dag g.step")))
                .hasSize(3);
        screenshot("pipelines");

        // when
        browser.get(url("/console/pipelines/analyze"));
        clickAndWaitForNextPage(By.id("run"));

        // then
        WebElement result = browser.findElement(By.id("run-result"));
        assertThat(result.findElements(By.cssSelector("table.steps tr[data-step]")))
                .extracting(row -> row.getAttribute("data-step"))
                .containsExactly("classify", "embedding", "analysis");
        assertThat(result.findElements(By.cssSelector("svg.timeline rect.tl-ok")))
                .hasSizeGreaterThanOrEqualTo(3);
        screenshot("pipeline-run");
        browser.findElement(By.cssSelector("#variant option[value='sharper']")).click();
        clickAndWaitForNextPage(By.id("run"));
        assertThat(browser.findElement(By.cssSelector("#run-result tr[data-step='classify']"))
                        .getText())
                .contains("classifier-backup");
    }

    @Test
    void the_master_rolls_back_a_canary_from_its_button() throws Exception {
        // given: a canary that has served some traffic
        for (int run = 0; run < 6; run++) {
            submitSync(MASTER, "analyze");
        }
        signIn(MASTER);
        browser.get(url("/console/deployments"));
        assertThat(browser.findElement(By.cssSelector("#deployments tr[data-deployment='analyze']"))
                        .getText())
                .contains("canary");
        screenshot("deployments");
        clickAndWaitForNextPage(By.linkText("analyze"));
        assertThat(browser.findElement(By.id("deployment-state")).getText()).isEqualTo("canary");
        screenshot("deployment");

        // when
        browser.findElement(By.id("action-rollback")).click();
        browser.switchTo().alert().accept();

        // then
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() ->
                        browser.findElement(By.cssSelector(".notice")).getText().contains("Rolled back"));
        assertThat(browser.findElement(By.id("deployment-state")).getText()).isEqualTo("rolled_back");
        assertThat(browser.findElement(By.id("history")).getText()).contains("rollback");
    }

    @Test
    void the_cost_page_shows_the_ledger_and_the_tenants_budget() throws Exception {
        // given
        signIn(ACME);

        // when
        browser.get(url("/console/costs"));
        String costs = browser.findElement(By.tagName("main")).getText();
        screenshot("costs");

        // then
        assertThat(browser.findElements(By.id("costs-not-configured"))).isEmpty();
        assertThat(browser.findElement(By.id("csv")).getText()).isEqualTo("Export CSV");
        assertThat(browser.findElements(By.cssSelector(".budget-row"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector(".budget-row")).getText()).contains("daily");
        assertThat(costs).doesNotContain("No budgets are configured");
    }

    private String availability(String model) {
        browser.findElement(By.id("live"));
        return browser.findElement(By.cssSelector("tr[data-model='" + model + "'] [data-availability]"))
                .getAttribute("data-availability");
    }

    private void signIn(String key) {
        browser.get(url("/console/login"));
        browser.findElement(By.id("key")).sendKeys(key);
        clickAndWaitForNextPage(By.cssSelector("form button[type=submit]"));
    }

    private void signOut() {
        clickAndWaitForNextPage(By.cssSelector("form[action='/console/logout'] button"));
    }

    /** Clicks a link or a form's button and returns once the browser has left the page, so the next step sees the new one. */
    private void clickAndWaitForNextPage(By button) {
        WebElement page = browser.findElement(By.tagName("html"));
        browser.findElement(button).click();
        await().atMost(PATIENCE).until(() -> {
            try {
                page.isEnabled();
                return false;
            } catch (StaleElementReferenceException left) {
                return true;
            }
        });
    }

    private void submitSync(String key, String pipeline) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url("/v1/pipelines/" + pipeline)))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"Cloud revenue grew.\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private String submit(String key, String pipeline) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url("/v1/jobs")))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"pipeline\": \"" + pipeline + "\", \"input\": {\"text\": \"Cloud revenue grew.\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher id = Pattern.compile("\"job_id\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /** A screenshot of the whole page at the window's width, for the README. */
    private void screenshot(String name) throws Exception {
        Dimension window = browser.manage().window().getSize();
        long height =
                (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int)
                Math.min(Math.max(height, 400), 1800)));
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(window);
    }

    private WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectories(folder.resolve("chromium-profile")),
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static SimulationProfiles remoteProfiles(Optional<Fault> fault) {
        SimulationConfig profile = new SimulationConfig(
                Duration.ofMillis(30), Duration.ZERO, fault, fault.isPresent() ? 1 : 0, Duration.ofSeconds(1), 24, 8);
        return SimulationProfiles.of(Map.of("sim-remote-2025-01-01", profile));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + front.port() + path;
    }

    private String config() {
        return """
                storage: {url: "jdbc:sqlite:%s"}
                providers:
                  sim: {kind: simulated}
                  # The simulator wants some key and checks no value: any variable that is always set will do.
                  remote: {kind: openai, base_url: "http://127.0.0.1:%d/v1", api_key_env: PATH}
                models:
                  classifier:
                    provider: sim
                    model: sim-classifier-2025-01-01
                    price: {input_per_mtok: 3.00, output_per_mtok: 15.00}
                    fallbacks: [classifier-backup]
                    simulation: {latency: 40ms, jitter: 5ms}
                  classifier-backup:
                    provider: sim
                    model: sim-classifier-backup-2025-01-01
                    price: {input_per_mtok: 0.15, output_per_mtok: 0.60}
                    simulation: {latency: 60ms}
                  analyst:
                    provider: sim
                    model: sim-analyst-2025-01-01
                    price: {input_per_mtok: 3.00, output_per_mtok: 15.00}
                    simulation: {latency: 120ms, jitter: 10ms, output_tokens: 64}
                  embedder:
                    provider: sim
                    model: sim-embedder-2025-01-01
                    type: embedding
                    price: {input_per_mtok: 0.02, output_per_mtok: 0}
                    simulation: {latency: 20ms, dimensions: 8}
                  flaky:
                    provider: sim
                    model: sim-flaky-2025-01-01
                    retry: {attempts: 1}
                    circuit: {failure_rate: 0.5, min_calls: 2, window: 2, open_for: 10m}
                    simulation: {latency: 10ms, fault: server-error, fault_rate: 1}
                  remote:
                    provider: remote
                    model: sim-remote-2025-01-01
                    price: {input_per_mtok: 1.00, output_per_mtok: 2.00}
                    retry: {attempts: 1}
                    timeout: 5s
                pipelines:
                  analyze:
                    steps:
                      classify: {model: classifier, prompt: "Classify: {{input.text}}"}
                      embedding: {model: embedder, input: "{{input.text}}"}
                      analysis: {model: analyst, needs: [classify], prompt: "Analyse as {{steps.classify.text}}: {{input.text}}"}
                  fragile:
                    steps:
                      check: {model: flaky, prompt: "Check: {{input.text}}"}
                  remote-summary:
                    steps:
                      summary: {model: remote, prompt: "Summarise: {{input.text}}"}
                deployments:
                  analyze:
                    candidates:
                      sharper:
                        pipeline:
                          steps:
                            classify: {model: classifier-backup, prompt: "Classify precisely: {{input.text}}"}
                            embedding: {model: embedder, input: "{{input.text}}"}
                            analysis: {model: analyst, needs: [classify], prompt: "Analyse as {{steps.classify.text}}: {{input.text}}"}
                        canary: {steps: [10, 50, 100], step_duration: 10m, min_samples: 500}
                tenants:
                  acme: {api_keys: ["%s"], budget: {daily_usd: 5}}
                  globex: {api_keys: ["%s"]}
                """.formatted(folder.resolve("console.db"), remotePort, ApiKeys.hash(ACME), ApiKeys.hash(GLOBEX));
    }
}
