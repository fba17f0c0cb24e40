package dev.pipewright.resilience;

import static dev.pipewright.resilience.Harness.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.model.CallLabels;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Deadline;
import dev.pipewright.model.ModelCall;
import dev.pipewright.model.ModelCallException;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.ModelResult;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.Usage;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingFailoverTest {
    private final FakeClock clock = new FakeClock();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final List<String> received = new CopyOnWriteArrayList<>();

    /** A provider whose streams fail with a reset, after sending {@code piecesBeforeFailure} pieces. */
    private static final class BrokenStream implements ModelClient {
        final AtomicInteger streams = new AtomicInteger();
        private final int piecesBeforeFailure;

        BrokenStream(int piecesBeforeFailure) {
            this.piecesBeforeFailure = piecesBeforeFailure;
        }

        @Override
        public ModelResponse.Chat stream(ModelRequest.Chat request, CallOptions options, StreamListener listener) {
            streams.incrementAndGet();
            for (int piece = 0; piece < piecesBeforeFailure; piece++) {
                listener.onText("piece" + piece + " ");
            }
            throw new ModelException(new ModelError.ConnectionReset("stream ended before its last event"));
        }

        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            throw new AssertionError("a streamed call must stream");
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("not an embedding model");
        }
    }

    /** A provider that streams a whole answer. */
    private static final class HealthyStream implements ModelClient {
        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            return new ModelResponse.Chat(options.model(), "backup answer", "stop", new Usage(4, 2, 0));
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new AssertionError("not an embedding model");
        }
    }

    @AfterEach
    void stopWatchdog() {
        watchdog.shutdownNow();
    }

    private ModelResult stream(BrokenStream primary) {
        Map<String, ModelConfig> models = Map.of(
                "primary", model("primary").fallbacks("backup").build(),
                "backup", model("backup").build());
        Map<String, ModelClient> clients = Map.of("primary", primary, "backup", new HealthyStream());
        ModelCall call = new ModelCall(
                ResilienceChain.standard(models::get, clock, () -> 0L, watchdog, new CircuitBreakerInterceptor(clock)),
                model -> clients.get(model.alias()),
                models::get,
                clock);
        return call.stream(
                ModelRequest.Chat.of(ChatMessage.user("hello")),
                "primary",
                Deadline.after(Duration.ofMinutes(1), clock),
                "idem-1",
                CallLabels.NONE,
                received::add);
    }

    @Test
    void a_stream_that_fails_before_its_first_piece_is_retried_then_failed_over_transparently() {
        // given
        BrokenStream primary = new BrokenStream(0);

        // when
        ModelResult result = stream(primary);

        // then
        assertThat(primary.streams).hasValue(Harness.RETRY.attempts());
        assertThat(result.answeredBy()).isEqualTo("backup");
        assertThat(received).containsExactly("backup answer");
    }

    @Test
    void a_stream_that_fails_after_its_first_piece_ends_with_the_error_and_is_never_replayed() {
        // given
        BrokenStream primary = new BrokenStream(2);

        // when
        ModelCallException failure = catchThrowableOfType(ModelCallException.class, () -> stream(primary));

        // then
        assertThat(primary.streams).hasValue(1);
        assertThat(failure.error()).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(failure.attempts()).hasSize(1);
        assertThat(received).containsExactly("piece0 ", "piece1 ");
    }
}
