package dev.pipewright.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.StreamListener;
import dev.pipewright.model.Tool;
import dev.pipewright.model.ToolCall;
import dev.pipewright.model.ToolCallDelta;
import dev.pipewright.model.ToolChoice;
import dev.pipewright.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatedModelClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final FakeClock clock = new FakeClock();
    private final SimulatedModelClient client =
            new SimulatedModelClient(SimulationProfiles.fromNames(), clock, new Random(42));

    @Test
    void waits_the_latency_on_the_clock_before_answering() {
        // when
        ModelResponse.Chat answer =
                client.chat(ModelRequest.Chat.of(ChatMessage.user("hello")), options("sim+latency=50ms"));

        // then
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50));
        assertThat(answer.model()).isEqualTo("sim+latency=50ms");
        assertThat(answer.finishReason()).isEqualTo("stop");
    }

    @Test
    void draws_latencies_across_the_jitter_band() {
        // when
        for (int i = 0; i < 50; i++) {
            client.chat(ModelRequest.Chat.of(ChatMessage.user("hello")), options("sim+latency=100ms+jitter=20ms"));
        }

        // then
        assertThat(clock.sleeps())
                .allSatisfy(sleep -> assertThat(sleep).isBetween(Duration.ofMillis(80), Duration.ofMillis(120)));
        assertThat(clock.sleeps().stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void waits_the_timeout_then_times_out_when_the_answer_would_come_later() {
        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.chat(ModelRequest.Chat.of(ChatMessage.user("hello")), options("sim+latency=5s")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(clock.sleeps()).containsExactly(TIMEOUT);
    }

    @Test
    void no_answer_waits_the_whole_timeout_then_times_out() {
        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.chat(ModelRequest.Chat.of(ChatMessage.user("hello")), options("sim+fault=no-answer")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(clock.elapsed()).isEqualTo(TIMEOUT);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("rate-limit", new ModelError.RateLimited("", Optional.of(Duration.ofSeconds(2)))),
                Arguments.of("server-error", new ModelError.Unavailable("", 500, Optional.empty())),
                Arguments.of("overloaded", new ModelError.Unavailable("", 529, Optional.of(Duration.ofSeconds(2)))),
                Arguments.of("connection-reset", new ModelError.ConnectionReset("")),
                Arguments.of("context-length", new ModelError.ContextLengthExceeded("")),
                Arguments.of("content-filter", new ModelError.ContentFiltered("")));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void each_fault_fails_at_once_with_its_model_error(String fault, ModelError expected) {
        // given
        String model = "sim+latency=1s+retry_after=2s+fault=" + fault;

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class, () -> client.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options(model)));

        // then
        assertThat(failure.error()).isInstanceOf(expected.getClass());
        assertThat(failure.error().retryAfter()).isEqualTo(expected.retryAfter());
        if (expected instanceof ModelError.Unavailable unavailable) {
            assertThat(((ModelError.Unavailable) failure.error()).status()).isEqualTo(unavailable.status());
        }
        assertThat(failure.error().message()).contains(model);
        assertThat(clock.sleeps()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"slow-first-token", "stream-cut", "stream-stall", "malformed-chunk"})
    void stream_faults_leave_a_call_that_does_not_stream_alone(String fault) {
        // when
        ModelResponse.Chat answer =
                client.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("sim+tokens=5+fault=" + fault));

        // then
        assertThat(answer.text().split(" ")).hasSize(5);
    }

    @Test
    void streams_the_answer_piece_by_piece_after_the_latency() {
        // given
        List<String> pieces = new ArrayList<>();
        ModelRequest.Chat request = ModelRequest.Chat.of(ChatMessage.user("hello there"));

        // when
        ModelResponse.Chat answer = client.stream(request, options("sim+tokens=6+latency=40ms"), pieces::add);

        // then
        assertThat(pieces).hasSize(6);
        assertThat(String.join("", pieces)).isEqualTo(answer.text());
        assertThat(answer.text())
                .isEqualTo(client.chat(request, options("sim+tokens=6")).text());
        assertThat(clock.sleeps()).first().isEqualTo(Duration.ofMillis(40));
    }

    static Stream<Arguments> broken_streams() {
        return Stream.of(
                Arguments.of("stream-cut", ModelError.ConnectionReset.class, Duration.ZERO),
                Arguments.of("stream-stall", ModelError.Timeout.class, Duration.ofSeconds(2)),
                Arguments.of("malformed-chunk", ModelError.Unavailable.class, Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource
    void broken_streams(String fault, Class<? extends ModelError> expected, Duration stalledFor) {
        // given
        List<String> pieces = new ArrayList<>();
        CallOptions options = new CallOptions(
                "sim+tokens=6+latency=0+fault=" + fault, TIMEOUT, "key-1", TIMEOUT, Duration.ofSeconds(2));

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.stream(ModelRequest.Chat.of(ChatMessage.user("hi")), options, pieces::add));

        // then
        assertThat(pieces).as("half the answer went out first").hasSize(3);
        assertThat(failure.error()).isInstanceOf(expected);
        assertThat(clock.elapsed()).isEqualTo(stalledFor);
    }

    @Test
    void a_first_token_later_than_its_timeout_is_a_timeout_before_any_piece() {
        // given
        List<String> pieces = new ArrayList<>();
        CallOptions options = new CallOptions(
                "sim+latency=0+fault=slow-first-token+retry_after=5s",
                TIMEOUT,
                "key-1",
                Duration.ofSeconds(1),
                TIMEOUT);

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.stream(ModelRequest.Chat.of(ChatMessage.user("hi")), options, pieces::add));

        // then
        assertThat(pieces).isEmpty();
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void strikes_about_the_fault_rate_of_calls() {
        // when
        int failures = 0;
        for (int i = 0; i < 400; i++) {
            try {
                client.chat(
                        ModelRequest.Chat.of(ChatMessage.user("hi")),
                        options("sim+latency=0+fault=server-error+fault_rate=0.25"));
            } catch (ModelException e) {
                failures++;
            }
        }

        // then
        assertThat(failures).isBetween(60, 140);
    }

    @Test
    void classifies_a_prompt_into_one_stable_category() {
        // given
        ModelRequest.Chat request = ModelRequest.Chat.of(
                ChatMessage.user("Classify into technical, business, creative, legal: a contract"));

        // when
        ModelResponse.Chat first = client.chat(request, options("sim"));
        ModelResponse.Chat second = client.chat(request, options("sim"));

        // then
        assertThat(first.text()).isIn((Object[]) SimulatedContent.CATEGORIES);
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(first.usage().outputTokens()).isEqualTo(1);
    }

    @Test
    void classifications_spread_over_every_category() {
        // when
        List<String> answers = Stream.iterate(0, i -> i + 1)
                .limit(60)
                .map(i -> client.chat(ModelRequest.Chat.of(ChatMessage.user("Classify: text " + i)), options("sim"))
                        .text())
                .distinct()
                .toList();

        // then
        assertThat(answers).containsExactlyInAnyOrder(SimulatedContent.CATEGORIES);
    }

    @Test
    void answers_the_same_prompt_with_the_same_text_of_the_configured_length() {
        // when
        String first = client.chat(ModelRequest.Chat.of(ChatMessage.user("Describe a river")), options("sim+tokens=40"))
                .text();
        String again = client.chat(ModelRequest.Chat.of(ChatMessage.user("Describe a river")), options("sim+tokens=40"))
                .text();
        String other = client.chat(ModelRequest.Chat.of(ChatMessage.user("Describe a lake")), options("sim+tokens=40"))
                .text();

        // then
        assertThat(first.split(" ")).hasSize(40);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void stops_at_the_callers_token_limit_with_finish_reason_length() {
        // given
        ModelRequest.Chat request = new ModelRequest.Chat(
                List.of(ChatMessage.user("Describe a river")), OptionalInt.of(10), OptionalDouble.empty());

        // when
        ModelResponse.Chat answer = client.chat(request, options("sim+tokens=40"));

        // then
        assertThat(answer.text().split(" ")).hasSize(10);
        assertThat(answer.finishReason()).isEqualTo("length");
        assertThat(answer.usage().outputTokens()).isEqualTo(10);
    }

    @Test
    void counts_a_token_for_every_four_characters_of_input_rounded_up() {
        // given
        ModelRequest.Chat request = ModelRequest.Chat.of(ChatMessage.system("abcdefgh"), ChatMessage.user("abcde"));

        // when
        ModelResponse.Chat answer = client.chat(request, options("sim+tokens=7"));

        // then
        assertThat(answer.usage().inputTokens()).isEqualTo((8 + 5 + 3) / 4);
        assertThat(answer.usage().outputTokens()).isEqualTo(7);
    }

    @Test
    void embeds_the_same_text_as_the_same_unit_vector() {
        // when
        ModelResponse.Embedding answer = client.embed(
                new ModelRequest.Embedding(List.of("alpha", "beta", "alpha")), options("sim-embed+dims=256"));

        // then
        List<float[]> vectors = answer.vectors();
        assertThat(vectors).allSatisfy(vector -> {
            assertThat(vector).hasSize(256);
            assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        });
        assertThat(vectors.get(2)).containsExactly(vectors.get(0));
        assertThat(vectors.get(1)).isNotEqualTo(vectors.get(0));
        assertThat(answer.usage().inputTokens()).isEqualTo(2 + 1 + 2);
    }

    @Test
    void configured_behaviour_is_the_base_that_name_parameters_override() {
        // given
        SimulationConfig configured = new SimulationConfig(
                Duration.ofMillis(300), Duration.ZERO, Optional.empty(), 0, Duration.ofSeconds(1), 3, 8);
        SimulatedModelClient configuredClient =
                new SimulatedModelClient(SimulationProfiles.of(Map.of("sim-chat", configured)), clock, new Random(1));

        // when
        String plain = configuredClient
                .chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("sim-chat"))
                .text();
        String longer = configuredClient
                .chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("sim-chat+tokens=6"))
                .text();

        // then
        assertThat(plain.split(" ")).hasSize(3);
        assertThat(longer.split(" ")).hasSize(6);
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @Test
    void an_unparsable_name_parameter_is_an_invalid_request_naming_it() {
        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("sim+latency=fast")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
        assertThat(failure.error().message()).contains("latency=fast");
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void an_interrupted_call_stops_waiting_and_keeps_the_interrupt() {
        // given
        Thread.currentThread().interrupt();

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> client.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("sim+latency=1s")));

        // then
        assertThat(Thread.interrupted()).isTrue();
        assertThat(failure.error()).isInstanceOf(ModelError.Timeout.class);
    }

    private static CallOptions options(String model) {
        return new CallOptions(model, TIMEOUT, "key-1");
    }

    private static double norm(float[] vector) {
        double squares = 0;
        for (float component : vector) {
            squares += component * component;
        }
        return Math.sqrt(squares);
    }

    private static ModelRequest.Chat weatherRequest(List<ChatMessage> messages) throws Exception {
        JsonNode schema = new ObjectMapper()
                .readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
                        + "\"days\":{\"type\":\"integer\"},\"unit\":{\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                        + "\"required\":[\"city\",\"days\",\"unit\"]}");
        return new ModelRequest.Chat(
                messages,
                OptionalInt.empty(),
                OptionalDouble.empty(),
                Map.of(),
                List.of(new Tool("get_weather", "", schema), new Tool("get_time", "", schema)),
                new ToolChoice.Auto());
    }

    @Test
    void calls_the_first_tool_with_its_required_arguments_when_the_user_spoke_last() throws Exception {
        // given
        ModelRequest.Chat request = weatherRequest(List.of(ChatMessage.user("Weather in Oslo?")));

        // when
        ModelResponse.Chat first = client.chat(request, options("sim-chat"));
        ModelResponse.Chat again = client.chat(request, options("sim-chat"));

        // then
        assertThat(first.finishReason()).isEqualTo("tool_calls");
        assertThat(first.text()).isEmpty();
        ToolCall call = first.toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"sample city\",\"days\":1,\"unit\":\"celsius\"}");
        assertThat(again.toolCalls()).isEqualTo(first.toolCalls());
    }

    @Test
    void answers_a_tool_result_with_text_that_quotes_it_and_streams_a_tool_call_as_pieces() throws Exception {
        // given
        ToolCall call = new ToolCall("call_1", "get_weather", "{}");
        ModelRequest.Chat handedBack = weatherRequest(List.of(
                ChatMessage.user("Weather in Oslo?"),
                new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentPart.ToolUse(call))),
                new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.ToolResult("call_1", "-3 C", false)))));
        List<ToolCallDelta> pieces = new ArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void onText(String delta) {
                throw new AssertionError("no text was streamed, but got " + delta);
            }

            @Override
            public void onToolCall(ToolCallDelta delta) {
                pieces.add(delta);
            }
        };

        // when
        ModelResponse.Chat quoted = client.chat(handedBack, options("sim-chat"));
        ModelResponse.Chat streamed =
                client.stream(weatherRequest(List.of(ChatMessage.user("Weather?"))), options("sim-chat"), listener);

        // then
        assertThat(quoted.text()).isEqualTo("The tool answered: -3 C");
        assertThat(quoted.toolCalls()).isEmpty();
        assertThat(pieces).hasSize(2);
        assertThat(pieces.getFirst().name()).hasValue("get_weather");
        assertThat(pieces.get(1).argumentsDelta())
                .isEqualTo(streamed.toolCalls().getFirst().arguments());
    }
}
