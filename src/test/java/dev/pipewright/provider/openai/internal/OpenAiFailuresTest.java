package dev.pipewright.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipewright.model.ModelError;
import dev.pipewright.testing.FakeClock;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiFailuresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpenAiFailures failures = new OpenAiFailures("openai", Optional.of("sk-secret"), new FakeClock());

    @Test
    void a_read_that_timed_out_is_a_timeout_however_deeply_it_is_wrapped() {
        // when
        ModelError error = failures.fromConnection(
                "gpt-4o-mini", new UncheckedIOException(new SocketTimeoutException("Read timed out")));

        // then
        assertThat(error).isInstanceOf(ModelError.Timeout.class);
    }

    @Test
    void a_refused_or_cut_connection_is_a_reset_connection_without_the_key() {
        // when
        ModelError refused = failures.fromConnection("gpt-4o-mini", new ConnectException("Connection refused"));
        ModelError cut = failures.fromConnection("gpt-4o-mini", new EOFException("closed by sk-secret"));

        // then
        assertThat(refused).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(cut).isInstanceOf(ModelError.ConnectionReset.class);
        assertThat(cut.message()).contains("[redacted]").doesNotContain("sk-secret");
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
        "requests, rate_limit_exceeded, RateLimited",
        "insufficient_quota, insufficient_quota, AuthFailed",
        "invalid_request_error, context_length_exceeded, ContextLengthExceeded",
        "invalid_request_error, content_filter, ContentFiltered",
        "invalid_request_error, invalid_value, InvalidRequest",
        "authentication_error, invalid_api_key, AuthFailed",
        "server_error, , Unavailable",
        "overloaded_error, , Unavailable"
    })
    void an_error_inside_a_stream_is_classified_as_its_http_twin(String type, String code, String expected)
            throws Exception {
        // given
        String error = "{\"message\":\"failed\",\"type\":\"" + type + "\",\"code\":"
                + (code == null ? "null" : "\"" + code + "\"") + "}";

        // when
        ModelError mapped = failures.fromStreamError("gpt-4o-mini", JSON.readTree(error));

        // then
        assertThat(mapped.getClass().getSimpleName()).isEqualTo(expected);
    }
}
