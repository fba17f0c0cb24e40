package dev.pipewright.provider.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.config.Fault;
import dev.pipewright.config.SimulationConfig;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationProfilesTest {
    private static final SimulationConfig CONFIGURED = new SimulationConfig(
            Duration.ofMillis(300), Duration.ofMillis(10), Optional.of(Fault.OVERLOADED), 0.1, Duration.ZERO, 3, 8);

    private final SimulationProfiles profiles = SimulationProfiles.of(Map.of("sim-chat", CONFIGURED));

    @Test
    void a_configured_name_resolves_to_its_configuration() {
        assertThat(profiles.resolve("sim-chat")).isEqualTo(CONFIGURED);
    }

    @Test
    void a_plain_unknown_name_behaves_as_the_default() {
        assertThat(profiles.resolve("anything")).isEqualTo(SimulationConfig.DEFAULT);
    }

    @Test
    void parses_every_parameter_of_the_name_grammar() {
        // when
        SimulationConfig config = profiles.resolve(
                "sim+latency=50ms+jitter=1s+fault=rate-limit+fault_rate=0.5+retry_after=2m+tokens=40" + "+dims=256");

        // then
        assertThat(config)
                .isEqualTo(new SimulationConfig(
                        Duration.ofMillis(50),
                        Duration.ofSeconds(1),
                        Optional.of(Fault.RATE_LIMIT),
                        0.5,
                        Duration.ofMinutes(2),
                        40,
                        256));
    }

    @Test
    void parameters_override_the_configured_base_one_by_one() {
        // when
        SimulationConfig config = profiles.resolve("sim-chat+tokens=9");

        // then
        assertThat(config.outputTokens()).isEqualTo(9);
        assertThat(config.latency()).isEqualTo(CONFIGURED.latency());
        assertThat(config.fault()).isEqualTo(CONFIGURED.fault());
        assertThat(config.faultRate()).isEqualTo(CONFIGURED.faultRate());
    }

    @Test
    void a_fault_without_a_rate_strikes_every_call() {
        assertThat(profiles.resolve("sim+fault=stream-cut").faultRate()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource({
        "sim+latency=fast, latency=fast",
        "sim+jitter=-5ms, jitter=-5ms",
        "sim+fault=meteor, fault=meteor",
        "sim+fault_rate=2, fault_rate=2",
        "sim+tokens=0, tokens=0",
        "sim+dims=many, dims=many",
        "sim+colour=red, colour=red",
        "sim+verbose, verbose"
    })
    void an_unparsable_parameter_is_an_invalid_request_naming_it(String model, String parameter) {
        // when
        ModelException failure = catchThrowableOfType(ModelException.class, () -> profiles.resolve(model));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.InvalidRequest.class);
        assertThat(failure.error().message()).contains("'" + parameter + "'").contains(model);
    }
}
