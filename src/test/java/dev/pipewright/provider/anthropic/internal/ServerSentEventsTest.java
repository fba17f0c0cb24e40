package dev.pipewright.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    private static List<ServerSentEvent> all(String stream) throws IOException {
        ServerSentEvents events =
                new ServerSentEvents(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));
        List<ServerSentEvent> read = new ArrayList<>();
        for (Optional<ServerSentEvent> event = events.next(); event.isPresent(); event = events.next()) {
            read.add(event.get());
        }
        return read;
    }

    @Test
    void reads_named_events_with_any_line_ending_and_skips_comments() throws IOException {
        // when
        List<ServerSentEvent> events =
                all(": keep-alive\r\nevent: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\nevent:message_stop\rdata:{}\r\r");

        // then
        assertThat(events)
                .containsExactly(
                        new ServerSentEvent("ping", "{\"type\": \"ping\"}"), new ServerSentEvent("message_stop", "{}"));
    }

    @Test
    void joins_several_data_lines_with_a_newline() throws IOException {
        // when
        List<ServerSentEvent> events = all("data: first\ndata: second\n\n");

        // then
        assertThat(events).containsExactly(new ServerSentEvent("", "first\nsecond"));
    }

    @Test
    void drops_an_event_the_stream_cut_before_its_blank_line() throws IOException {
        // when
        List<ServerSentEvent> events = all("event: ping\ndata: {}\n\nevent: message_stop\ndata: {\"type\"");

        // then
        assertThat(events).containsExactly(new ServerSentEvent("ping", "{}"));
    }

    @Test
    void resets_the_event_name_after_a_blank_line_without_data() throws IOException {
        // when
        List<ServerSentEvent> events = all("event: ignored\n\ndata: x\n\n");

        // then
        assertThat(events).containsExactly(new ServerSentEvent("", "x"));
    }
}
