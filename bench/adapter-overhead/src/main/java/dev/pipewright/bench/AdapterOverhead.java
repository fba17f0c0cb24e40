package dev.pipewright.bench;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.config.ProviderProtocol;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.provider.anthropic.AnthropicModelClient;
import dev.pipewright.provider.openai.OpenAiModelClient;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a provider adapter costs per call over the HTTP exchange itself: each adapter's chat call against the
 * project's simulator (zero latency), beside a bare Helidon WebClient POST of the same OpenAI request to the same
 * server, whose answer is read but not mapped; and the OpenAI adapter once more over HTTP/2 with prior knowledge
 * (h2c, {@code http: h2c}) to the same server, beside its HTTP/1.1 figure. Run with {@code -prof gc} for bytes
 * allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:+UseZGC"})
public class AdapterOverhead {
    private static final String OPENAI_BODY =
            "{\"model\":\"bench-chat+latency=0+tokens=16\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private SimulatorServer simulator;
    private OpenAiModelClient openAi;
    private OpenAiModelClient openAiH2c;
    private AnthropicModelClient anthropic;
    private WebClient bare;
    private ModelRequest.Chat request;

    @Setup
    public void start() {
        simulator = SimulatorServer.start(
                "127.0.0.1",
                0,
                SimulationProfiles.fromNames(),
                Clock.system(),
                () -> ThreadLocalRandom.current().nextLong());
        URI base = URI.create("http://127.0.0.1:" + simulator.port());
        openAi = new OpenAiModelClient(
                new ProviderConfig(
                        "openai", ProviderKind.OPENAI, Optional.of("BENCH_KEY"), Optional.of(base.resolve("/v1"))),
                name -> Optional.of("bench-key"),
                Clock.system());
        openAiH2c = new OpenAiModelClient(
                new ProviderConfig(
                                "openai", ProviderKind.OPENAI, Optional.of("BENCH_KEY"), Optional.of(base.resolve("/v1")))
                        .withProtocol(ProviderProtocol.H2C),
                name -> Optional.of("bench-key"),
                Clock.system());
        anthropic = new AnthropicModelClient(
                new ProviderConfig("anthropic", ProviderKind.ANTHROPIC, Optional.of("BENCH_KEY"), Optional.of(base)),
                name -> Optional.of("bench-key"),
                Clock.system());
        bare = WebClient.builder().baseUri(base.toString()).build();
        request = ModelRequest.Chat.of(ChatMessage.user("hello"));
    }

    @TearDown
    public void stop() {
        simulator.close();
    }

    @Benchmark
    public ModelResponse.Chat openAiAdapter() {
        return openAi.chat(request, new CallOptions("bench-chat+latency=0+tokens=16", Duration.ofSeconds(10), "k"));
    }

    /** The same call as {@link #openAiAdapter()} (HTTP/1.1), over h2c: one stream per call on one connection. */
    @Benchmark
    public ModelResponse.Chat openAiAdapterH2c() {
        return openAiH2c.chat(request, new CallOptions("bench-chat+latency=0+tokens=16", Duration.ofSeconds(10), "k"));
    }

    @Benchmark
    public ModelResponse.Chat anthropicAdapter() {
        return anthropic.chat(
                request, new CallOptions("claude-bench+latency=0+tokens=16", Duration.ofSeconds(10), "k"));
    }

    @Benchmark
    public byte[] bareWebClient() {
        try (HttpClientResponse response = bare.post("/v1/chat/completions")
                .header(HeaderNames.AUTHORIZATION, "Bearer bench")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(OPENAI_BODY.getBytes(StandardCharsets.UTF_8))) {
            return response.entity().as(byte[].class);
        }
    }
}
