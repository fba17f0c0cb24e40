package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.cache.CaffeineResponseCache;
import dev.pipewright.cache.ResponseCaching;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.cost.BudgetGuard;
import dev.pipewright.cost.CostInterceptor;
import dev.pipewright.cost.InMemoryCostLedger;
import dev.pipewright.cost.LedgerEntry;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.pipeline.PipelineExecutor;
import dev.pipewright.router.ModelHealth;
import dev.pipewright.router.ModelRouter;
import dev.pipewright.router.PipelineRouter;
import dev.pipewright.router.Readiness;
import dev.pipewright.telemetry.CostMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/route} runs as the caller: its tenant and tags reach the ledger, its tokens its own limit. */
class RouteTenantTest {
    private static final String ACME = "pw_acme";
    private static final String GLOBEX = "pw_globex";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final InMemoryCostLedger ledger = new InMemoryCostLedger();
    private GatewayServer server;

    /** Every call uses 600 input and 400 output tokens, so a routed run (two calls) uses 2000. */
    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return new ModelResponse.Chat(options.model(), "technical", "stop", new Usage(600, 400, 0));
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
                  chat: {provider: sim, model: sim-chat, price: {input_per_mtok: 1.00, output_per_mtok: 2.00}}
                pipelines:
                  triage: {steps: {label: {model: chat, prompt: "Label: {{input.text}}"}}}
                  technical: {steps: {answer: {model: chat, prompt: "Explain: {{input.text}}"}}}
                routes: {pipeline: triage, step: label, map: {technical: technical}, default: technical}
                tenants:
                  acme: {api_keys: ["%s"], tpm: 1000}
                  globex: {api_keys: ["%s"], tpm: 1000}
                """.formatted(ApiKeys.hash(ACME), ApiKeys.hash(GLOBEX)), "t.yaml");
        CostInterceptor cost = new CostInterceptor(
                config::model,
                BudgetGuard.NONE,
                ledger::appendOne,
                new CostMeters(new SimpleMeterRegistry()),
                new BigDecimal("0.50"),
                Clock.system());
        ModelCall call = new ModelCall(List.of(cost), model -> client, config::model, Clock.system());
        PipelineExecutor executor = new PipelineExecutor(call, config::model, Clock.system());
        ModelHealth health = new ModelHealth();
        RoutingFeatures features = new RoutingFeatures(
                new PipelineRouter(() -> config, executor),
                new Readiness(() -> config, health, alias -> "closed"),
                new ResponseCaching(new CaffeineResponseCache(Duration.ofMinutes(1), 10, Clock.system()), false),
                new ModelRouter(() -> config, health, alias -> true, Clock.system(), new Random(1)));
        server = GatewayServer.start(
                "127.0.0.1",
                0,
                GatewayParts.defaults(() -> config, executor)
                        .withAccess(TestAccess.masterKeyOnly(config, "master", Clock.system()))
                        .withModelCall(call)
                        .withRouting(features));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> route(String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/route"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"text\": \"a compiler question\"}}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_ledger_rows_of_both_runs_are_the_callers_with_its_tags() throws Exception {
        // when
        HttpResponse<String> routed = route(ACME, "X-Pipewright-Tags", "team=search");

        // then
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(ledger.entries()).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.tenant()).isEqualTo("acme");
            assertThat(entry.tags()).isEqualTo(Map.of("team", "search"));
        });
        assertThat(ledger.entries()).extracting(LedgerEntry::pipeline).containsExactly("triage", "technical");
    }

    @Test
    void the_tokens_of_both_runs_count_toward_the_callers_limit_only() throws Exception {
        // given: 2000 tokens used of acme's 1000 a minute
        assertThat(route(ACME).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> again = route(ACME);
        HttpResponse<String> otherTenant = route(GLOBEX);

        // then
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(again.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("0");
        assertThat(otherTenant.statusCode()).isEqualTo(200);
    }
}
