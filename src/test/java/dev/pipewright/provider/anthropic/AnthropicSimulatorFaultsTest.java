package dev.pipewright.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.simulated.SimulationProfiles;
import dev.pipewright.provider.simulated.SimulatorServer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each fault the project's simulator plays on its Anthropic route, and the error the adapter makes of it. */
class AnthropicSimulatorFaultsTest {
    private static final Duration CALL = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(300);

    private static SimulatorServer simulator;
    private static AnthropicModelClient client;

    @BeforeAll
    static void startSimulator() {
        simulator =
                SimulatorServer.start("127.0.0.1", 0, SimulationProfiles.fromNames(), Clock.system(), new Random(3));
        client = AnthropicFixtures.client(URI.create("http://127.0.0.1:" + simulator.port()));
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    /** A faulty model, whether it is streamed, the stream waits, and what the failure must be. */
    record Fault(
            String parameters,
            boolean stream,
            Duration call,
            Duration firstToken,
            Duration idle,
            Class<? extends ModelError> expected,
            Optional<Duration> retryAfter) {
        static Fault of(String parameters, boolean stream, Class<? extends ModelError> expected) {
            return new Fault(parameters, stream, CALL, CALL, CALL, expected, Optional.empty());
        }

        @Override
        public String toString() {
            return parameters + (stream ? " streamed" : "") + " -> " + expected.getSimpleName();
        }
    }

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault(
                        "fault=rate-limit+retry_after=2s",
                        false,
                        CALL,
                        CALL,
                        CALL,
                        ModelError.RateLimited.class,
                        Optional.of(Duration.ofSeconds(2))),
                new Fault(
                        "fault=overloaded+retry_after=3s",
                        true,
                        CALL,
                        CALL,
                        CALL,
                        ModelError.Unavailable.class,
                        Optional.of(Duration.ofSeconds(3))),
                Fault.of("fault=server-error", false, ModelError.Unavailable.class),
                Fault.of("fault=context-length", false, ModelError.ContextLengthExceeded.class),
                Fault.of("fault=content-filter", true, ModelError.ContentFiltered.class),
                Fault.of("fault=connection-reset", false, ModelError.ConnectionReset.class),
                Fault.of("fault=stream-cut", true, ModelError.ConnectionReset.class),
                Fault.of("fault=malformed-chunk", true, ModelError.Unavailable.class),
                new Fault("fault=stream-stall", true, CALL, CALL, SHORT, ModelError.Timeout.class, Optional.empty()),
                new Fault(
                        "fault=slow-first-token+retry_after=5s",
                        true,
                        CALL,
                        SHORT,
                        CALL,
                        ModelError.Timeout.class,
                        Optional.empty()),
                new Fault("fault=no-answer", false, SHORT, SHORT, SHORT, ModelError.Timeout.class, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("faults")
    void maps_each_simulated_fault_to_its_error(Fault fault) {
        // given
        String model = "claude-sim+latency=1ms+tokens=12+" + fault.parameters();
        CallOptions options = new CallOptions(model, fault.call(), "fault", fault.firstToken(), fault.idle());

        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> {
            if (fault.stream()) {
                client.stream(AnthropicFixtures.hello(), options, piece -> {});
            } else {
                client.chat(AnthropicFixtures.hello(), options);
            }
        });

        // then
        assertThat(failure).as("%s must fail", fault).isNotNull();
        assertThat(failure.error()).isInstanceOf(fault.expected());
        assertThat(failure.error().retryAfter()).isEqualTo(fault.retryAfter());
    }
}
