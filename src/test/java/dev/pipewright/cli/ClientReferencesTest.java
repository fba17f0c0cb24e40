package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClientReferencesTest {
    private static final PipewrightConfig CONFIG = ConfigLoader.parse("""
            providers:
              kept: {kind: simulated}
              replaced: {kind: simulated}
            models:
              chat: {provider: kept, model: chat-1}
            """, "test.yaml");

    /** A client that only records whether it was closed. */
    private static final class ClosableClient implements ModelClient {
        private boolean closed;

        @Override
        public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
            throw new UnsupportedOperationException("not called");
        }

        @Override
        public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
            throw new UnsupportedOperationException("not called");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ClosableClient kept = new ClosableClient();
    private final ClosableClient replaced = new ClosableClient();
    private final ClosableClient replacement = new ClosableClient();

    private static Generation generation(long number, ModelClient keptClient, ModelClient otherClient) {
        return new Generation(
                number,
                CONFIG,
                Map.of(
                        Generation.ClientKey.of(CONFIG, CONFIG.providers().get("kept")), keptClient,
                        Generation.ClientKey.of(CONFIG, CONFIG.providers().get("replaced")), otherClient),
                Map.of("kept", keptClient, "replaced", otherClient));
    }

    @Test
    void a_replaced_client_is_closed_once_the_call_in_flight_on_it_ends_and_not_before() {
        // given: a request pinned to the first generation
        Generation first = generation(1, kept, replaced);
        AtomicReference<Generation> current = new AtomicReference<>(first);
        ClientReferences references = new ClientReferences(first);
        Generation pinned = references.pin();

        // when: a reload replaces one client while the request runs
        references.swap(current, generation(2, kept, replacement));

        // then
        assertThat(current.get().number()).isEqualTo(2);
        assertThat(replaced.closed).isFalse();
        references.unpin(pinned);
        assertThat(replaced.closed).isTrue();
        assertThat(kept.closed).isFalse();
        assertThat(replacement.closed).isFalse();
    }

    @Test
    void a_replaced_client_nobody_uses_is_closed_at_the_swap_and_a_taken_over_one_never() {
        // given
        Generation first = generation(1, kept, replaced);
        AtomicReference<Generation> current = new AtomicReference<>(first);
        ClientReferences references = new ClientReferences(first);

        // when: two reloads, the second while a request pinned to the second generation runs
        references.swap(current, generation(2, kept, replacement));
        Generation pinned = references.pin();
        ClosableClient third = new ClosableClient();
        references.swap(current, generation(3, kept, third));
        references.unpin(pinned);

        // then
        assertThat(replaced.closed).isTrue();
        assertThat(replacement.closed).isTrue();
        assertThat(third.closed).isFalse();
        assertThat(kept.closed).isFalse();
        assertThat(current.get().client("kept")).isSameAs(kept);
    }

    @Test
    void a_client_held_by_two_pinned_generations_closes_after_the_last_of_them_ends() {
        // given: one request on the first generation, one on the second, which took over both clients
        Generation first = generation(1, kept, replaced);
        AtomicReference<Generation> current = new AtomicReference<>(first);
        ClientReferences references = new ClientReferences(first);
        Generation onFirst = references.pin();
        references.swap(current, generation(2, kept, replaced));
        Generation onSecond = references.pin();

        // when: a third generation drops that client and the older request ends first
        references.swap(current, generation(3, kept, replacement));
        references.unpin(onFirst);

        // then
        assertThat(replaced.closed).isFalse();
        references.unpin(onSecond);
        assertThat(replaced.closed).isTrue();
        assertThat(kept.closed).isFalse();
        assertThat(replacement.closed).isFalse();
    }
}
