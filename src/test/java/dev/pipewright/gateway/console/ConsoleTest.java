package dev.pipewright.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.config.StorageConfig;
import dev.pipewright.gateway.AccessFilter;
import dev.pipewright.gateway.GatewayParts;
import dev.pipewright.gateway.GatewayServer;
import dev.pipewright.gateway.JobsApi;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.jobs.Job;
import dev.pipewright.jobs.JobStore;
import dev.pipewright.jobs.JobStores;
import dev.pipewright.jobs.JobSubmission;
import dev.pipewright.jobs.webhook.HostResolver;
import dev.pipewright.jobs.webhook.WebhookDeliveries;
import dev.pipewright.jobs.webhook.WebhookSecrets;
import dev.pipewright.jobs.webhook.WebhookTargets;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.provider.simulated.SimulatedModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.store.Database;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over HTTP on a real server (port 0) and a SQLite job store: sign-in, sessions, CSRF and tenancy. */
class ConsoleTest {
    private static final String MASTER = "master-key";
    private static final String ACME = "acme-key";
    private static final String GLOBEX = "globex-key";
    private static final String INITECH = "initech-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path folder;

    private Database database;
    private JobStore store;
    private GatewayServer server;
    private final ContractViews.Costs costs = new ContractViews.Costs();
    private final ContractViews.Deployments deployments = new ContractViews.Deployments();

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse(
                """
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, fallbacks: [backup]}
                  backup: {provider: sim, model: sim-backup}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Two: {{steps.first.text}}"}
                tenants:
                  acme: {api_keys: ["%s"]}
                  globex: {api_keys: ["%s"]}
                  initech: {api_keys: ["%s"], rpm: 1}
                """.formatted(ApiKeys.hash(ACME), ApiKeys.hash(GLOBEX), ApiKeys.hash(INITECH)), "test.yaml");
        database = Database.open(new StorageConfig("jdbc:sqlite:" + folder.resolve("jobs.db")));
        store = JobStores.open(database, Clock.system());
        JobsApi jobs = new JobsApi(
                store,
                new WebhookTargets(config.webhooks().allow(), HostResolver.system()),
                new WebhookSecrets(() -> config, Map.<String, String>of()::get),
                new WebhookDeliveries(database, Clock.system()));
        Map<String, SimulationConfig> profiles = new LinkedHashMap<>();
        config.models().values().forEach(model -> profiles.put(model.model(), model.simulation()));
        SimulatedModelClient simulated =
                new SimulatedModelClient(SimulationProfiles.of(profiles), Clock.system(), new SplittableRandom(5));
        ModelCall call = new ModelCall(List.of(), (ModelConfig model) -> simulated, config::model, Clock.system());
        AccessFilter access = new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(MASTER), Optional.empty()),
                new InMemoryRateLimiter(Clock.system()),
                () -> config);
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(access)
                        .withJobs(jobs),
                new ConsoleViews(Optional.of(costs), Optional.of(deployments)));
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void a_page_without_a_session_sends_the_browser_to_sign_in() throws Exception {
        // when
        HttpResponse<String> response = get("/console/jobs", Optional.empty());

        // then
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/console/login");
    }

    @Test
    void signing_in_sets_an_http_only_same_site_strict_cookie_that_is_not_the_key() throws Exception {
        // when
        HttpResponse<String> response = signIn(ACME);

        // then
        assertThat(response.statusCode()).isEqualTo(303);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith("pw_console=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/console")
                .doesNotContain(ACME);
        HttpResponse<String> overview = get("/console", Optional.of(cookieOf(response)));
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("tenant acme").doesNotContain(ACME);
    }

    @Test
    void a_wrong_key_is_refused_without_a_session() throws Exception {
        // when
        HttpResponse<String> response = signIn("not-a-key");

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(response.body()).contains("That key is not valid.");
    }

    @Test
    void a_form_without_the_session_csrf_token_is_refused() throws Exception {
        // given
        String cookie = cookieOf(signIn(ACME));
        Job job = deadJob("acme");

        // when
        HttpResponse<String> response = post("/console/dlq/" + job.id() + "/replay", cookie, "csrf=forged");

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(store.find("acme", job.id()).orElseThrow().status().jsonName())
                .isEqualTo("dead");
    }

    @Test
    void a_form_posted_from_another_site_is_refused() throws Exception {
        // given
        String cookie = cookieOf(signIn(ACME));
        Job job = deadJob("acme");
        String csrf = csrfOf(get("/console/dlq", Optional.of(cookie)).body());

        // when
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/console/dlq/" + job.id() + "/replay"))
                        .header("Cookie", cookie)
                        .header("Origin", "https://evil.example")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(store.find("acme", job.id()).orElseThrow().status().jsonName())
                .isEqualTo("dead");
    }

    @Test
    void a_run_from_the_console_counts_against_the_tenants_rate_limit_as_an_api_request_does() throws Exception {
        // given a tenant allowed one request a minute, signed in
        String cookie = cookieOf(signIn(INITECH));
        String csrf = csrfOf(get("/console/pipelines/echo", Optional.of(cookie)).body());
        String form = "csrf=" + csrf + "&input=" + URLEncoder.encode("{\"text\": \"hi\"}", StandardCharsets.UTF_8);

        // when it runs a pipeline twice
        HttpResponse<String> first = post("/console/pipelines/echo/run", cookie, form);
        HttpResponse<String> second = post("/console/pipelines/echo/run", cookie, form);

        // then the first ran and the second was refused, saying which limit and when to try again
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("console-");
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).contains("rate limit reached for requests per minute; try again in");
        // and a master, who is not limited on the API, is not limited here either
        String master = cookieOf(signIn(MASTER));
        String masterCsrf =
                csrfOf(get("/console/pipelines/echo", Optional.of(master)).body());
        String masterForm =
                "csrf=" + masterCsrf + "&input=" + URLEncoder.encode("{\"text\": \"hi\"}", StandardCharsets.UTF_8);
        assertThat(post("/console/pipelines/echo/run", master, masterForm).statusCode())
                .isEqualTo(200);
        assertThat(post("/console/pipelines/echo/run", master, masterForm).statusCode())
                .isEqualTo(200);
    }

    @Test
    void replaying_from_the_console_queues_the_dead_job_again() throws Exception {
        // given
        String cookie = cookieOf(signIn(ACME));
        Job job = deadJob("acme");
        String csrf = csrfOf(get("/console/dlq", Optional.of(cookie)).body());

        // when
        HttpResponse<String> response = post("/console/dlq/" + job.id() + "/replay", cookie, "csrf=" + csrf);

        // then
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/console/jobs/" + job.id() + "?done=replayed");
        assertThat(store.find("acme", job.id()).orElseThrow().status().jsonName())
                .isEqualTo("queued");
    }

    @Test
    void a_tenant_sees_neither_another_tenants_jobs_nor_their_pages() throws Exception {
        // given
        Job acmeJob = store.enqueue(submission("acme")).job();
        Job globexJob = store.enqueue(submission("globex")).job();
        String cookie = cookieOf(signIn(GLOBEX));

        // when
        HttpResponse<String> list = get("/console/jobs", Optional.of(cookie));
        HttpResponse<String> detail = get("/console/jobs/" + acmeJob.id(), Optional.of(cookie));

        // then
        assertThat(list.body()).contains(globexJob.id()).doesNotContain(acmeJob.id());
        assertThat(detail.statusCode()).isEqualTo(404);
    }

    @Test
    void every_page_renders_for_a_master_sign_in() throws Exception {
        // given
        String cookie = cookieOf(signIn(MASTER));
        Job job = store.enqueue(submission("default")).job();

        // when / then
        for (String path : List.of(
                "/console",
                "/console/pipelines",
                "/console/pipelines/echo",
                "/console/jobs",
                "/console/jobs/" + job.id(),
                "/console/dlq",
                "/console/costs",
                "/console/deployments")) {
            HttpResponse<String> page = get(path, Optional.of(cookie));
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .isPresent();
            assertThat(page.body()).as(path).contains("</html>");
        }
    }

    @Test
    void a_tenant_sees_only_its_own_spend_with_its_budget_bar_and_can_export_it() throws Exception {
        // given
        String cookie = cookieOf(signIn(ACME));

        // when
        HttpResponse<String> page = get("/console/costs?days=30", Optional.of(cookie));
        HttpResponse<String> csv = get("/console/costs.csv?days=30", Optional.of(cookie));

        // then
        assertThat(costs.askedForTenants).isNotEmpty().allMatch(tenant -> tenant.equals(Optional.of("acme")));
        assertThat(page.body())
                .contains("By pipeline", "By provider", "By model", "svg class=\"budget warn\"", "$1.7")
                .doesNotContain("By tenant", "globex");
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(value -> assertThat(value).contains("attachment"));
        assertThat(csv.body().lines())
                .first()
                .isEqualTo("day,tenant,pipeline,provider,model,calls,input_tokens,output_tokens,cost_usd");
        assertThat(csv.body())
                .contains(",acme,analyze,sim,analyst,3,100,40,1.25")
                .doesNotContain("globex");
    }

    @Test
    void the_master_rolls_back_a_canary_with_the_button_and_a_tenant_cannot() throws Exception {
        // given
        String master = cookieOf(signIn(MASTER));
        String tenant = cookieOf(signIn(ACME));
        HttpResponse<String> page = get("/console/deployments/echo", Optional.of(master));
        assertThat(page.body()).contains("id=\"action-rollback\"", "error_rate: 0.01", "agreement", "golden");

        // when
        HttpResponse<String> refused = post(
                "/console/deployments/echo/rollback",
                tenant,
                "csrf="
                        + csrfOf(get("/console/deployments/echo", Optional.of(tenant))
                                .body()));
        HttpResponse<String> done = post("/console/deployments/echo/rollback", master, "csrf=" + csrfOf(page.body()));

        // then
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(deployments.actions).containsExactly("rollback by master");
        assertThat(get("/console/deployments/echo?done=rollback", Optional.of(master))
                        .body())
                .contains("Rolled back.", "rolled_back");
    }

    @Test
    void assets_come_from_the_jar_without_signing_in() throws Exception {
        // when
        HttpResponse<String> css = get("/console/assets/console.css", Optional.empty());
        HttpResponse<String> unknown = get("/console/assets/secret.txt", Optional.empty());

        // then
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private Job deadJob(String tenant) {
        store.enqueue(submission(tenant));
        var claimed = store.claim("worker-1", java.time.Duration.ofSeconds(30)).orElseThrow();
        return store.deadLetter(
                claimed.lease(),
                new dev.pipewright.jobs.JobError("server_error", "upstream 500", Optional.of("first")));
    }

    private static JobSubmission submission(String tenant) {
        return new JobSubmission(
                tenant,
                "echo",
                new ObjectMapper().createObjectNode().put("text", "hi"),
                Optional.empty(),
                Optional.empty(),
                JobSubmission.DEFAULT_MAX_ATTEMPTS);
    }

    private HttpResponse<String> signIn(String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri("/console/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Optional<String> cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        cookie.ifPresent(value -> request.header("Cookie", value));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieOf(HttpResponse<String> signIn) {
        return signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static String csrfOf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
        return matcher.group(1);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
