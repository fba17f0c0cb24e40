package dev.pipewright.model;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What is asked of a model, independent of which model answers: the provider model is chosen per attempt by
 * {@link ModelCall} and handed to the client in {@link CallOptions}.
 */
public sealed interface ModelRequest permits ModelRequest.Chat, ModelRequest.Embedding {

    record Chat(List<ChatMessage> messages, OptionalInt maxTokens, OptionalDouble temperature) implements ModelRequest {
        public Chat {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("a chat request needs at least one message");
            }
        }

        public static Chat of(ChatMessage... messages) {
            return new Chat(List.of(messages), OptionalInt.empty(), OptionalDouble.empty());
        }
    }

    record Embedding(List<String> inputs) implements ModelRequest {
        public Embedding {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("an embedding request needs at least one input");
            }
        }
    }
}
