package dev.pipewright.provider.anthropic.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.Usage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageStreamTest {
    private final MessageStream stream = new MessageStream("claude-asked", new AnthropicErrors(Optional.of("sk-key")));

    private static ServerSentEvent event(String type, String data) {
        return new ServerSentEvent(type, data);
    }

    private void started() {
        stream.accept(event(
                "message_start",
                "{\"type\": \"message_start\", \"message\": {\"model\": \"claude-answered\", \"usage\":"
                        + " {\"input_tokens\": 10, \"cache_creation_input_tokens\": 4, \"cache_read_input_tokens\": 6,"
                        + " \"output_tokens\": 1}}}"));
    }

    @Test
    void a_delta_before_message_start_is_malformed() {
        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> stream.accept(
                        event(
                                "content_block_delta",
                                "{\"type\": \"content_block_delta\", \"delta\": {\"type\": \"text_delta\", \"text\": \"x\"}}")));

        // then
        assertThat(failure.error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error -> assertThat(error.status()).isEqualTo(502));
    }

    @Test
    void skips_event_types_it_does_not_know_and_deltas_that_are_not_text() {
        // given
        started();

        // when
        MessageStream.Piece unknown = stream.accept(event("future_event", "{\"type\": \"future_event\", \"x\": 1}"));
        MessageStream.Piece thinking = stream.accept(
                event(
                        "content_block_delta",
                        "{\"type\": \"content_block_delta\", \"delta\": {\"type\": \"thinking_delta\", \"thinking\": \"hm\"}}"));

        // then
        assertThat(unknown).isInstanceOf(MessageStream.Piece.Nothing.class);
        assertThat(thinking).isInstanceOf(MessageStream.Piece.Nothing.class);
        assertThat(stream.complete()).isFalse();
    }

    @Test
    void takes_the_model_from_message_start_and_the_latest_cumulative_usage() {
        // given
        started();

        // when
        stream.accept(event(
                "message_delta",
                "{\"type\": \"message_delta\", \"delta\": {\"stop_reason\": \"max_tokens\"}, \"usage\":"
                        + " {\"output_tokens\": 42}}"));
        stream.accept(event("message_stop", "{\"type\": \"message_stop\"}"));

        // then
        assertThat(stream.complete()).isTrue();
        assertThat(stream.answer().model()).isEqualTo("claude-answered");
        assertThat(stream.answer().finishReason()).isEqualTo("length");
        assertThat(stream.answer().usage()).isEqualTo(new Usage(20, 42, 6));
    }

    @Test
    void an_error_event_of_an_unknown_type_is_an_unavailable_upstream() {
        // given
        started();

        // when
        ModelException failure = catchThrowableOfType(
                ModelException.class,
                () -> stream.accept(event(
                        "error",
                        "{\"type\": \"error\", \"error\": {\"type\": \"brand_new_error\", \"message\": \"?\"}}")));

        // then
        assertThat(failure.error()).isInstanceOf(ModelError.Unavailable.class);
        assertThat(failure.error().retryable()).isTrue();
    }
}
