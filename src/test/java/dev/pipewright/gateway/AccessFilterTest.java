package dev.pipewright.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.gateway.auth.KeyVerifier;
import dev.pipewright.gateway.auth.Tenant;
import dev.pipewright.gateway.auth.Tenants;
import dev.pipewright.gateway.ratelimit.Admission;
import dev.pipewright.gateway.ratelimit.InMemoryRateLimiter;
import dev.pipewright.gateway.ratelimit.Limits;
import dev.pipewright.gateway.ratelimit.RateLimiter;
import dev.pipewright.gateway.ratelimit.TokenUsage;
import dev.pipewright.model.Usage;
import dev.pipewright.testing.FakeClock;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class AccessFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACME_KEY = "pw_acme-test-key";
    private static final String BETA_KEY = "pw_beta-test-key";
    private static final String LIMITED_KEY = "pw_limited-test-key";
    private static final String METERED_KEY = "pw_metered-test-key";
    private static final String MASTER_KEY = "pw_master-test-key";
    private static final FakeClock CLOCK = new FakeClock();
    private static WebServer server;

    @BeforeAll
    static void start() {
        PipewrightConfig config = ConfigLoader.parse(
                """
                tenants:
                  acme: {api_keys: ["%s"]}
                  beta: {api_keys: ["%s"]}
                  limited: {api_keys: ["%s"], rpm: 2}
                  metered: {api_keys: ["%s"], rpm: 1000, tpm: 1000}
                """.formatted(
                                ApiKeys.hash(ACME_KEY),
                                ApiKeys.hash(BETA_KEY),
                                ApiKeys.hash(LIMITED_KEY),
                                ApiKeys.hash(METERED_KEY)),
                "test.yaml");
        AccessFilter access = new AccessFilter(
                new KeyVerifier(() -> config, Optional.of(MASTER_KEY), Optional.empty()),
                new InMemoryRateLimiter(CLOCK),
                () -> config);
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing.addFilter(access)
                        .get("/health/live", (request, response) -> response.send("UP"))
                        .get("/v1/whoami", whoAmI())
                        .post("/v1/chat/completions", usingTokens())
                        .post("/v1/messages", usingTokens())
                        .post("/v1/pipelines/{name}", whoAmI()))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** Answers with the tenant the route was given, as the real routes learn it. */
    private static Handler whoAmI() {
        return (request, response) -> {
            Tenant tenant = Tenants.of(request);
            response.send(tenant.name() + (tenant.master() ? " (master)" : ""));
        };
    }

    /** Reports the usage the test asks for in {@code x-test-usage}, as a model route reports its model's usage. */
    private static Handler usingTokens() {
        return (request, response) -> {
            long tokens = Long.parseLong(
                    request.headers().first(HeaderNames.create("x-test-usage")).orElse("0"));
            TokenUsage.record(request, new Usage(tokens, 0, 0));
            response.send("{}");
        };
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Stream<Arguments> who_is_calling() {
        return Stream.of(
                Arguments.of(new String[] {"Authorization", "Bearer " + ACME_KEY}, 200, "acme"),
                Arguments.of(new String[] {"Authorization", "bearer  " + ACME_KEY + " "}, 200, "acme"),
                Arguments.of(new String[] {"x-api-key", BETA_KEY}, 200, "beta"),
                Arguments.of(new String[] {"Authorization", "Basic abc", "x-api-key", BETA_KEY}, 200, "beta"),
                Arguments.of(new String[] {}, 401, "no API key"),
                Arguments.of(new String[] {"Authorization", "Bearer "}, 401, "no API key"),
                Arguments.of(new String[] {"Authorization", "Bearer pw_wrong"}, 401, "not valid"),
                Arguments.of(new String[] {"x-api-key", ACME_KEY + "x"}, 401, "not valid"),
                Arguments.of(new String[] {"x-api-key", MASTER_KEY}, 200, "default (master)"),
                Arguments.of(
                        new String[] {"x-api-key", MASTER_KEY, "X-Pipewright-Tenant", "beta"}, 200, "beta (master)"),
                Arguments.of(
                        new String[] {"x-api-key", MASTER_KEY, "X-Pipewright-Tenant", "../etc"},
                        400,
                        "not a tenant name"),
                Arguments.of(new String[] {"x-api-key", ACME_KEY, "X-Pipewright-Tenant", "beta"}, 403, "master key"),
                Arguments.of(new String[] {"x-api-key", ACME_KEY, "X-Pipewright-Tenant", "acme"}, 200, "acme"));
    }

    @ParameterizedTest
    @MethodSource
    void who_is_calling(String[] headers, int status, String answer) throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/pipelines/p", "{}", headers);

        // then
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).contains(answer);
        assertThat(response.body()).doesNotContain("test-key");
        if (status != 200) {
            assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("status").asInt()).isEqualTo(status);
            assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        }
    }

    @Test
    void a_refused_key_never_reaches_the_log() throws Exception {
        // given
        Logger logger = (Logger) LoggerFactory.getLogger(AccessFilter.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(events);
        try {
            // when
            send("POST", "/v1/pipelines/p", "{}", "Authorization", "Bearer pw_secret-that-must-not-leak");
        } finally {
            logger.detachAppender(events);
            logger.setLevel(level);
        }

        // then
        assertThat(events.list).isNotEmpty();
        assertThat(events.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("pw_secret"));
    }

    @Test
    void openai_routes_refuse_a_bad_key_as_openai_does() throws Exception {
        // when
        HttpResponse<String> response =
                send("POST", "/v1/chat/completions", "{}", "Authorization", "Bearer pw_not-a-key");

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("message").asText()).isEqualTo("the API key is not valid");
        assertThat(response.body()).doesNotContain("pw_not-a-key");
    }

    @Test
    void anthropic_routes_refuse_a_missing_key_as_anthropic_does() throws Exception {
        // when
        HttpResponse<String> response = send("POST", "/v1/messages", "{}");

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("error").get("type").asText()).isEqualTo("authentication_error");
        assertThat(body.get("error").get("message").asText()).contains("x-api-key");
    }

    @Test
    void health_stays_open_without_a_key() throws Exception {
        // when
        HttpResponse<String> response = send("GET", "/health/live", null);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("UP");
    }

    @Test
    void the_request_over_the_limit_gets_429_with_retry_after_and_the_openai_headers() throws Exception {
        // given
        HttpResponse<String> first = send("POST", "/v1/chat/completions", null, "x-api-key", LIMITED_KEY);
        HttpResponse<String> second = send("POST", "/v1/chat/completions", null, "x-api-key", LIMITED_KEY);

        // when
        HttpResponse<String> third = send("POST", "/v1/chat/completions", null, "x-api-key", LIMITED_KEY);

        // then
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValue("30s");
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests"))
                .hasValue("0");
        assertThat(second.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1m0s");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        JsonNode error = JSON.readTree(third.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("requests");
        assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void the_master_key_is_not_rate_limited() throws Exception {
        // given
        String[] asLimited = {"x-api-key", MASTER_KEY, "X-Pipewright-Tenant", "limited"};

        // when
        HttpResponse<String> response = null;
        for (int i = 0; i < 5; i++) {
            response = send("POST", "/v1/pipelines/p", "{}", asLimited);
        }

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("limited (master)");
    }

    @Test
    void requests_pass_unlimited_when_the_limiter_cannot_answer() throws Exception {
        // given
        RateLimiter unreachable = new RateLimiter() {
            @Override
            public Admission admit(String tenant, Limits limits, long estimatedTokens) {
                throw new IllegalStateException("Redis is down");
            }

            @Override
            public void settle(String tenant, Limits limits, long tokenDifference) {
                throw new IllegalStateException("Redis is down");
            }

            @Override
            public void close() {}
        };
        PipewrightConfig config = ConfigLoader.parse(
                "tenants: {limited: {api_keys: [\"%s\"], rpm: 1}}".formatted(ApiKeys.hash(LIMITED_KEY)), "t.yaml");
        WebServer failing = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .routing(routing -> routing.addFilter(new AccessFilter(
                                new KeyVerifier(() -> config, Optional.empty(), Optional.empty()),
                                unreachable,
                                () -> config))
                        .get("/v1/whoami", whoAmI()))
                .build()
                .start();
        try {
            // when
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + failing.port() + "/v1/whoami"))
                            .header("x-api-key", LIMITED_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("limited");
            assertThat(response.headers().firstValue("x-ratelimit-limit-requests"))
                    .isEmpty();
        } finally {
            failing.stop();
        }
    }

    @Test
    void the_estimate_is_settled_against_the_usage_the_route_reports() throws Exception {
        // given a 400-byte body, estimated at 100 tokens
        String body = "x".repeat(400);
        HttpResponse<String> overestimated =
                send("POST", "/v1/chat/completions", body, "x-api-key", METERED_KEY, "x-test-usage", "30");
        HttpResponse<String> afterRefund = send("GET", "/v1/whoami", null, "x-api-key", METERED_KEY);

        // when
        send("POST", "/v1/chat/completions", body, "x-api-key", METERED_KEY, "x-test-usage", "500");
        HttpResponse<String> afterCharge = send("GET", "/v1/whoami", null, "x-api-key", METERED_KEY);

        // then
        assertThat(overestimated.headers().firstValue("x-ratelimit-remaining-tokens"))
                .hasValue("900");
        assertThat(afterRefund.headers().firstValue("x-ratelimit-remaining-tokens"))
                .hasValue("970");
        assertThat(afterCharge.headers().firstValue("x-ratelimit-remaining-tokens"))
                .hasValue(Long.toString(1000 - 30 - 500));
    }
}
