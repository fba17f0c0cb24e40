package dev.pipewright.telemetry;

import static dev.pipewright.telemetry.LogField.field;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("pipewright.access");
    private final JsonLogEncoder encoder = new JsonLogEncoder();

    @Test
    void stamps_each_line_to_the_millisecond_in_utc_across_seconds_and_days() {
        // given: instants within one second, across a second, a day and a year, and back in time
        long[] instants = {
            Instant.parse("2026-11-29T20:52:38.000Z").toEpochMilli(),
            Instant.parse("2026-11-29T20:52:38.007Z").toEpochMilli(),
            Instant.parse("2026-11-29T20:52:38.999Z").toEpochMilli(),
            Instant.parse("2026-11-29T20:52:39.040Z").toEpochMilli(),
            Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli(),
            Instant.parse("2027-01-01T00:00:00.100Z").toEpochMilli(),
            Instant.parse("2026-11-29T20:52:38.500Z").toEpochMilli()
        };

        // when / then
        for (long instant : instants) {
            assertThat(encoder.timestamp(instant))
                    .isEqualTo(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
                            .withZone(ZoneOffset.UTC)
                            .format(Instant.ofEpochMilli(instant)));
        }
    }

    @Test
    void writes_one_json_line_with_the_context_and_each_field_in_its_own_type() throws Exception {
        // given
        LoggingEvent event = event(
                Map.of("request_id", "req-1", "tenant", "acme"),
                Level.INFO,
                "model call {}",
                null,
                "chat",
                field("answered_by", "chat"),
                field("latency_ms", 12L),
                field("attempts", 2),
                field("cost_usd", 0.0063),
                field("cached", true));

        // when
        byte[] line = encoder.encode(event);

        // then
        String text = new String(line, StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("ts").asText()).isEqualTo("2026-11-29T20:52:38.123Z");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger_name").asText()).isEqualTo("pipewright.access");
        assertThat(json.path("thread_name").asText()).isEqualTo("worker-1");
        assertThat(json.path("message").asText()).isEqualTo("model call chat");
        assertThat(json.path("request_id").asText()).isEqualTo("req-1");
        assertThat(json.path("tenant").asText()).isEqualTo("acme");
        assertThat(json.path("answered_by").isTextual()).isTrue();
        assertThat(json.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(json.path("latency_ms").asLong()).isEqualTo(12);
        assertThat(json.path("attempts").asInt()).isEqualTo(2);
        assertThat(json.path("cost_usd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0063"));
        assertThat(json.path("cached").isBoolean()).isTrue();
        assertThat(json.has("stack_trace")).isFalse();
    }

    @Test
    void masks_key_material_in_the_message_the_fields_the_context_and_the_stack_trace() throws Exception {
        // given
        String key = "sk-proj-Q2VjcmV0S2V5MTIz";
        LoggingEvent event = event(
                Map.of("tenant", "leaky " + key),
                Level.ERROR,
                "upstream refused Bearer {}",
                new IllegalStateException("header was 'Authorization: Bearer " + key + "'"),
                key,
                field("header", "Bearer " + key));

        // when
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);

        // then
        assertThat(text).doesNotContain("Q2VjcmV0S2V5MTIz");
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("message").asText()).isEqualTo("upstream refused Bearer ***");
        assertThat(json.path("header").asText()).isEqualTo("Bearer ***");
        assertThat(json.path("tenant").asText()).isEqualTo("leaky sk-***");
        assertThat(json.path("stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: header was 'Authorization: Bearer ***'")
                .contains("at dev.pipewright.telemetry.JsonLogEncoderTest");
    }

    @Test
    void a_field_named_like_a_context_entry_replaces_it_so_no_key_appears_twice() throws Exception {
        // given: the context's request id, and a line that names the request it is about
        LoggingEvent event = event(
                Map.of("request_id", "req-context", "tenant", "acme"),
                Level.WARN,
                "cost ceiling exceeded",
                null,
                field("request_id", "req-line"));

        // when
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);

        // then
        assertThat(text.split("\"request_id\"", -1)).hasSize(2);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("request_id").asText()).isEqualTo("req-line");
        assertThat(json.path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void escapes_quotes_newlines_and_control_characters_so_each_event_stays_one_line() throws Exception {
        // given
        LoggingEvent event =
                event(Map.of(), Level.WARN, "said {}", null, field("completion", "line one\nline \"two\"\t\u0001"));

        // when
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);

        // then
        assertThat(text).hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.path("completion").asText()).isEqualTo("line one\nline \"two\"\t\u0001");
    }

    private LoggingEvent event(
            Map<String, String> context, Level level, String message, Throwable thrown, Object... arguments) {
        LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, message, thrown, arguments);
        event.setTimeStamp(Instant.parse("2026-11-29T20:52:38.123Z").toEpochMilli());
        event.setThreadName("worker-1");
        event.setMDCPropertyMap(context);
        return event;
    }
}
