package dev.pipewright.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BodiesTest {
    private static final byte[] BODY =
            "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_declared_length_is_read_with_one_request_of_that_size_and_to_the_end() throws IOException {
        // given
        RecordingStream in = new RecordingStream(BODY);

        // when
        byte[] read = Bodies.read(in, OptionalLong.of(BODY.length), 1024);

        // then
        assertThat(read).isEqualTo(BODY);
        assertThat(in.largestAsk).isEqualTo(BODY.length);
        assertThat(in.endSeen).isTrue();
    }

    @Test
    void without_a_declared_length_reads_to_one_byte_past_the_limit() throws IOException {
        // when
        byte[] whole = Bodies.read(new RecordingStream(BODY), OptionalLong.empty(), 1024);
        byte[] capped = Bodies.read(new RecordingStream(BODY), OptionalLong.empty(), 10);

        // then
        assertThat(whole).isEqualTo(BODY);
        assertThat(capped).hasSize(11);
    }

    @Test
    void a_declared_length_over_the_limit_is_read_as_an_unsized_body() throws IOException {
        // when
        byte[] capped = Bodies.read(new RecordingStream(BODY), OptionalLong.of(BODY.length), 10);

        // then
        assertThat(capped).hasSize(11);
    }

    @Test
    void a_body_that_ends_early_is_returned_as_far_as_it_came_and_a_longer_one_is_refused() throws IOException {
        // when
        byte[] short_ = Bodies.read(new RecordingStream(BODY), OptionalLong.of(BODY.length + 5L), 1024);

        // then
        assertThat(short_).isEqualTo(BODY);
        assertThatThrownBy(() -> Bodies.read(new RecordingStream(BODY), OptionalLong.of(BODY.length - 5L), 1024))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("longer than its declared length");
    }

    /** Remembers the largest read asked of it, which is what a Helidon entity stream allocates a buffer for. */
    private static final class RecordingStream extends ByteArrayInputStream {
        int largestAsk;
        boolean endSeen;

        RecordingStream(byte[] body) {
            super(body);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            largestAsk = Math.max(largestAsk, len);
            int n = super.read(b, off, len);
            endSeen |= n < 0;
            return n;
        }

        @Override
        public synchronized int read() {
            int n = super.read();
            endSeen |= n < 0;
            return n;
        }
    }
}
