package dev.pipewright.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ModelCallTest {
    private final FakeClock clock = new FakeClock();
    private final AtomicReference<CallOptions> seen = new AtomicReference<>();

    /** Answers every stream with one piece and remembers how it was asked. */
    private final ModelClient client = new ModelClient() {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            seen.set(options);
            return new ModelResponse.Chat(options.model(), "answer", "stop", new Usage(1, 1, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("not an embedding model");
        }
    };

    private CallOptions streamedOptions(String modelYaml) {
        PipewrightConfig config =
                ConfigLoader.parse("providers:\n  sim: {kind: simulated}\nmodels:\n  chat: " + modelYaml, "t.yaml");
        ModelCall call = new ModelCall(List.of(), model -> client, config::model, clock);
        call.stream(
                ModelRequest.Chat.of(ChatMessage.user("hi")),
                "chat",
                Deadline.after(Duration.ofMinutes(1), clock),
                "key",
                CallLabels.NONE,
                piece -> {});
        return seen.get();
    }

    @Test
    void a_stream_waits_for_its_first_piece_and_between_pieces_as_the_model_configures() {
        // when
        CallOptions options = streamedOptions(
                "{provider: sim, model: c-1, timeout: 60s, stream: {first_token_timeout: 2s, idle_timeout: 5s}}\n");

        // then
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void no_stream_wait_outlasts_the_attempt_itself() {
        // when
        CallOptions options = streamedOptions("{provider: sim, model: c-1, timeout: 1s}\n");

        // then
        assertThat(options.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    }
}
