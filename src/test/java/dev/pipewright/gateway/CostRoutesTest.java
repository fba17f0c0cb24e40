package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetBook;
import dev.pipewright.cost.BudgetGuard;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.InMemoryCostLedger;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v1/costs} on a real server over the cost link of real pipeline runs. */
class CostRoutesTest {
    private static final String MASTER = "master-key";
    private static final String ACME = "pw_acme";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private GatewayServer server;

    /** Every answer uses 1000 input and 500 output tokens: $0.003 + $0.0075 at the price below. */
    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return new ModelResponse.Chat(options.model(), "ok", "stop", new Usage(1000, 500, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("no embeddings here");
        }
    };

    @BeforeEach
    void start() {
        PipewrightConfig config = ConfigLoader.parse("""
                providers:
                  sim: {kind: simulated}
                models:
                  chat: {provider: sim, model: sim-chat, price: {input_per_mtok: 3.00, output_per_mtok: 15.00}}
                pipelines:
                  echo:
                    steps:
                      first: {model: chat, prompt: "One: {{input.text}}"}
                      second: {model: chat, needs: [first], prompt: "Two: {{steps.first.text}}"}
                tenants:
                  acme: {api_keys: ["%s"]}
                """.formatted(ApiKeys.hash(ACME)), "t.yaml");
        CostInterceptor cost = new CostInterceptor(
                config::model,
                BudgetGuard.NONE,
                ledger::appendOne,
                new CostMeters(new SimpleMeterRegistry()),
                new BigDecimal("0.50"),
                Clock.system());
        ModelCall call = new ModelCall(List.of(cost), model -> client, config::model, Clock.system());
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, new PipelineExecutor(call, config::model, Clock.system()))
                        .withAccess(TestAccess.masterKeyOnly(config, MASTER, Clock.system()))
                        .withModelCall(call)
                        .withCosts(new CostsApi(ledger, BudgetBook.NONE)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void allocation_tags_of_the_header_reach_every_ledger_row_of_the_run() throws Exception {
        // when
        HttpResponse<String> run = send(
                "POST",
                "/v1/pipelines/echo",
                "{\"input\": {\"text\": \"hi\"}}",
                ACME,
                "X-Pipewright-Tags",
                "team=search, feature=autocomplete");

        // then
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(run.body()).get("cost_usd").decimalValue()).isEqualByComparingTo("0.021");
        assertThat(ledger.entries()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.tenant()).isEqualTo("acme");
            assertThat(entry.pipeline()).isEqualTo("echo");
            assertThat(entry.tags()).isEqualTo(Map.of("team", "search", "feature", "autocomplete"));
        });
        assertThat(ledger.entries()).extracting(e -> e.step()).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void a_tenant_key_sees_only_its_own_costs_and_the_master_key_sees_every_tenant() throws Exception {
        // given
        send("POST", "/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", ACME);
        send("POST", "/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", MASTER, "X-Pipewright-Tenant", "globex");
        send(
                "POST",
                "/v1/chat/completions",
                "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                MASTER,
                "X-Pipewright-Tenant",
                "globex");

        // when
        JsonNode tenantView = JSON.readTree(
                send("GET", "/v1/costs?group_by=tenant,pipeline", null, ACME).body());
        JsonNode masterView = JSON.readTree(
                send("GET", "/v1/costs?group_by=tenant,pipeline", null, MASTER).body());

        // then
        assertThat(tenantView.get("group_by")).hasToString("[\"tenant\",\"pipeline\"]");
        assertThat(tenantView.get("rows")).hasSize(1);
        assertThat(tenantView.get("rows").get(0).toString())
                .isEqualTo("{\"tenant\":\"acme\",\"pipeline\":\"echo\",\"calls\":2,\"input_tokens\":2000,"
                        + "\"output_tokens\":1000,\"cost_usd\":0.021}");
        assertThat(tenantView.get("total_usd").decimalValue()).isEqualByComparingTo("0.021");
        assertThat(masterView.get("rows"))
                .extracting(row ->
                        row.get("tenant").asText() + "/" + row.get("pipeline").asText() + "="
                                + row.get("cost_usd").asText())
                .containsExactly("acme/echo=0.021", "globex/=0.0105", "globex/echo=0.021");
        assertThat(masterView.get("total_usd").decimalValue()).isEqualByComparingTo("0.0525");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/costs?group_by=tenant,colour | group_by: 'colour' is not a dimension to group by",
                "/v1/costs?from=yesterday | from: 'yesterday' is not a date (2026-11-29) or an instant",
                "/v1/costs?from=2026-11-02&to=2026-11-01 | from must be before to",
                "/v1/costs?tenant=globex | a tenant key sees only its own tenant 'acme', not 'globex'",
                "/v1/costs?sort=cost | unknown parameter 'sort'",
            })
    void a_bad_report_request_is_a_400_that_names_the_problem(String path, String detail) throws Exception {
        // when
        HttpResponse<String> response = send("GET", path, null, ACME);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains(detail);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "team | 'team' is not key=value",
                "team=search,team=ads | tag 'team' is given twice",
                "team=sea rch | value 'sea rch' of 'team' must be",
                "=x | key '' must be 1 to 64",
            })
    void malformed_allocation_tags_are_a_400_naming_the_header(String tags, String detail) throws Exception {
        // when
        HttpResponse<String> response =
                send("POST", "/v1/pipelines/echo", "{\"input\": {\"text\": \"hi\"}}", ACME, "X-Pipewright-Tags", tags);

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("detail").asText())
                .startsWith("X-Pipewright-Tags: ")
                .contains(detail);
        assertThat(ledger.entries()).isEmpty();
    }

    @Test
    void malformed_allocation_tags_on_a_compatible_route_are_an_openai_400() throws Exception {
        // when
        HttpResponse<String> response = send(
                "POST",
                "/v1/chat/completions",
                "{\"model\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
                ACME,
                "X-Pipewright-Tags",
                "team");

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                .startsWith("X-Pipewright-Tags: 'team' is not key=value");
    }

    private HttpResponse<String> send(String method, String path, String body, String key, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
