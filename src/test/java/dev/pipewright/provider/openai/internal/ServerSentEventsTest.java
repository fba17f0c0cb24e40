package dev.pipewright.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSentEventsTest {

    private static List<String> events(String body) throws IOException {
        ServerSentEvents events = new ServerSentEvents(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<String> data = new ArrayList<>();
        for (Optional<String> next = events.next(); next.isPresent(); next = events.next()) {
            data.add(next.get());
        }
        return data;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiterString = " => ",
            value = {
                "two events => 'data: {\"a\":1}\n\ndata: [DONE]\n\n' => '{\"a\":1}|[DONE]'",
                "crlf line ends => 'data: one\r\n\r\ndata: two\r\n\r\n' => 'one|two'",
                "no space after the colon => 'data:one\n\n' => 'one'",
                "keep-alive comments => ': OPENROUTER PROCESSING\n\ndata: one\n\n' => 'one'",
                "event and id fields => 'event: message\nid: 7\nretry: 100\ndata: one\n\n' => 'one'",
                "multi-line data => 'data: one\ndata: two\n\n' => 'one\ntwo'",
                "unterminated last event => 'data: one\n\ndata: two' => 'one|two'",
                "nothing => '' => ''"
            })
    void hands_out_the_data_of_each_event(String name, String body, String expected) throws Exception {
        // when
        List<String> data = events(body.translateEscapes());

        // then
        List<String> wanted = expected.isEmpty()
                ? List.of()
                : List.of(expected.translateEscapes().split("\\|"));
        assertThat(data).containsExactlyElementsOf(wanted);
    }
}
