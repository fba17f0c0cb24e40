package dev.pipewright.model;

import java.util.List;
import java.util.Objects;

/** A model's answer. {@code model} is the provider model that produced it, as the provider named it. */
public sealed interface ModelResponse permits ModelResponse.Chat, ModelResponse.Embedding {

    String model();

    Usage usage();

    /**
     * A chat answer; {@code toolCalls} are the tools the model asked to have called, in order (its finish reason is
     * then {@code tool_calls} or the provider's word for it), and {@code text} whatever it wrote besides.
     */
    record Chat(String model, String text, String finishReason, Usage usage, List<ToolCall> toolCalls)
            implements ModelResponse {
        public Chat {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(finishReason, "finishReason");
            Objects.requireNonNull(usage, "usage");
            toolCalls = List.copyOf(toolCalls);
        }

        public Chat(String model, String text, String finishReason, Usage usage) {
            this(model, text, finishReason, usage, List.of());
        }
    }

    record Embedding(String model, List<float[]> vectors, Usage usage) implements ModelResponse {
        public Embedding {
            vectors = List.copyOf(vectors);
        }
    }
}
