package dev.pipewright.gateway.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.model.ModelError;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WireErrorTest {

    static Stream<Arguments> model_failures() {
        Optional<Duration> none = Optional.empty();
        return Stream.of(
                Arguments.of(
                        new ModelError.RateLimited("slow down", Optional.of(Duration.ofMillis(1500))),
                        429,
                        "rate_limit_exceeded",
                        "rate_limit_error",
                        Optional.of("2")),
                Arguments.of(
                        new ModelError.RateLimited("slow down", none),
                        429,
                        "rate_limit_exceeded",
                        "rate_limit_error",
                        Optional.of("1")),
                Arguments.of(new ModelError.Unavailable("boom", 500, none), 502, "upstream_error", "api_error", none),
                Arguments.of(
                        new ModelError.Unavailable("busy", 529, Optional.of(Duration.ofSeconds(3))),
                        503,
                        "model_overloaded",
                        "overloaded_error",
                        Optional.of("3")),
                Arguments.of(
                        new ModelError.Unavailable("busy", 503, none),
                        503,
                        "model_overloaded",
                        "overloaded_error",
                        none),
                Arguments.of(new ModelError.ConnectionReset("reset"), 502, "upstream_error", "api_error", none),
                Arguments.of(
                        new ModelError.AuthFailed("bad upstream key"), 502, "upstream_auth_failed", "api_error", none),
                Arguments.of(new ModelError.CircuitOpen("open"), 503, "model_unavailable", "overloaded_error", none),
                Arguments.of(new ModelError.Timeout("slow"), 504, "timeout", "api_error", none),
                Arguments.of(new ModelError.DeadlineExceeded("late"), 504, "timeout", "api_error", none),
                Arguments.of(
                        new ModelError.ContextLengthExceeded("too long"),
                        400,
                        "context_length_exceeded",
                        "invalid_request_error",
                        none),
                Arguments.of(
                        new ModelError.ContentFiltered("blocked"),
                        400,
                        "content_policy_violation",
                        "invalid_request_error",
                        none),
                Arguments.of(
                        new ModelError.InvalidRequest("bad"), 400, "invalid_request", "invalid_request_error", none));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("model_failures")
    void maps_each_model_failure_to_a_status_the_sdks_type(
            ModelError error, int status, String code, String anthropicType, Optional<String> retryAfter) {
        // when
        WireError wire = WireError.of("classifier", error);

        // then
        assertThat(wire.status()).isEqualTo(status);
        assertThat(wire.code()).hasValue(code);
        assertThat(wire.anthropicType()).isEqualTo(anthropicType);
        assertThat(wire.retryAfterSeconds()).isEqualTo(retryAfter);
        assertThat(wire.message()).contains("classifier").contains(error.message());
    }
}
