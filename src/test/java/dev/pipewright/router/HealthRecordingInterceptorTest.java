package dev.pipewright.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
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
import dev.pipewright.model.Usage;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthRecordingInterceptorTest {
    private static final PipewrightConfig CONFIG = ConfigLoader.parse("""
            providers:
              sim: {kind: simulated}
            models:
              chat: {provider: sim, model: chat-1}
            """, "t.yaml");

    private final FakeClock clock = new FakeClock();
    private final ModelHealth health = new ModelHealth();

    /** Takes {@code latency} of fake time, then answers or fails with {@code error}. */
    private ModelCall callThatTakes(Duration latency, Optional<ModelError> error) {
        ModelClient client = new ModelClient() {
            @Override
            public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
                clock.advance(latency);
                error.ifPresent(failure -> {
                    throw new ModelException(failure);
                });
                return new ModelResponse.Chat(options.model(), "ok", "stop", new Usage(1, 1, 0));
            }

            @Override
            public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
                throw new UnsupportedOperationException("a chat model");
            }
        };
        return new ModelCall(
                List.of(new HealthRecordingInterceptor(health, clock)), model -> client, CONFIG::model, clock);
    }

    private void call(ModelCall modelCall) {
        modelCall.execute(
                ModelRequest.Chat.of(ChatMessage.user("hi")),
                "chat",
                Deadline.after(Duration.ofMinutes(1), clock),
                "key",
                CallLabels.NONE);
    }

    @Test
    void records_an_answer_with_its_time_and_latency() {
        // when
        call(callThatTakes(Duration.ofMillis(120), Optional.empty()));

        // then
        assertThat(health.observed("chat").lastSuccess()).hasValue(clock.instant());
        assertThat(health.observed("chat").averageLatency()).hasValue(Duration.ofMillis(120));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new ModelError.Unavailable("down", 503, Optional.empty()), "failure"),
                Arguments.of(new ModelError.Timeout("slow"), "failure"),
                Arguments.of(new ModelError.RateLimited("busy", Optional.empty()), "failure"),
                Arguments.of(new ModelError.InvalidRequest("bad"), "answer"),
                Arguments.of(new ModelError.ContentFiltered("no"), "answer"),
                Arguments.of(new ModelError.CircuitOpen("open"), "nothing"),
                Arguments.of(new ModelError.DeadlineExceeded("late"), "nothing"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void sorts_a_failure_by_what_it_says_about_the_model(ModelError error, String recordedAs) {
        // when
        Throwable thrown = catchThrowable(() -> call(callThatTakes(Duration.ofMillis(10), Optional.of(error))));

        // then
        assertThat(thrown).isInstanceOf(ModelCallException.class);
        ModelHealth.Observation observed = health.observed("chat");
        switch (recordedAs) {
            case "failure" -> {
                assertThat(observed.lastFailure()).hasValue(clock.instant());
                assertThat(observed.lastError()).hasValue(error.kind());
                assertThat(observed.lastSuccess()).isEmpty();
            }
            case "answer" -> {
                assertThat(observed.lastSuccess()).hasValue(clock.instant());
                assertThat(observed.lastFailure()).isEmpty();
            }
            default -> assertThat(observed).isEqualTo(ModelHealth.Observation.NONE);
        }
    }

    @Test
    void rethrows_the_failure_unchanged() {
        // given
        ModelError error = new ModelError.Timeout("slow");

        // when
        Throwable thrown = catchThrowable(() -> call(callThatTakes(Duration.ofMillis(10), Optional.of(error))));

        // then
        assertThat(((ModelCallException) thrown).error()).isEqualTo(error);
    }
}
