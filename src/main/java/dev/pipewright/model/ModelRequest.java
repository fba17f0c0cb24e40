package dev.pipewright.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What is asked of a model, independent of which model answers: the provider model is chosen per attempt by
 * {@link ModelCall} and handed to the client in {@link CallOptions}.
 */
public sealed interface ModelRequest permits ModelRequest.Chat, ModelRequest.Embedding {

    /** The images this request hands the model, for a price per image. */
    default long images() {
        return switch (this) {
            case Chat chat -> {
                long images = 0;
                for (ChatMessage message : chat.messages()) {
                    for (ContentPart part : message.content()) {
                        if (part instanceof ContentPart.Image) {
                            images++;
                        }
                    }
                }
                yield images;
            }
            case Embedding ignored -> 0;
        };
    }

    /**
     * A chat request. {@code providerFields} are OpenAI Chat Completions fields with no counterpart here
     * (response_format): a client that speaks that wire format sends them as they are, and any other client refuses a
     * request that has them rather than answer it differently. {@code tools} are what the model may call, and
     * {@code toolChoice} whether it must; a choice that names a tool must name one of {@code tools}.
     * {@code parallelToolCalls} false asks for at most one tool call a turn (OpenAI's {@code parallel_tool_calls:
     * false}, Anthropic's {@code disable_parallel_tool_use}).
     */
    record Chat(
            List<ChatMessage> messages,
            OptionalInt maxTokens,
            OptionalDouble temperature,
            Map<String, JsonNode> providerFields,
            List<Tool> tools,
            ToolChoice toolChoice,
            boolean parallelToolCalls)
            implements ModelRequest {
        public Chat {
            messages = List.copyOf(messages);
            providerFields = Map.copyOf(providerFields);
            tools = List.copyOf(tools);
            Objects.requireNonNull(toolChoice, "toolChoice");
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("a chat request needs at least one message");
            }
            Set<String> names = new HashSet<>();
            for (Tool tool : tools) {
                if (!names.add(tool.name())) {
                    throw new IllegalArgumentException("two tools are named " + tool.name());
                }
            }
            if (toolChoice instanceof ToolChoice.Required && tools.isEmpty()) {
                throw new IllegalArgumentException("a tool call is required, but no tools were given");
            }
            if (toolChoice instanceof ToolChoice.Named named && !names.contains(named.name())) {
                throw new IllegalArgumentException(
                        "the tool choice names " + named.name() + ", which is not among the tools " + names);
            }
        }

        /** A request that lets the model call several tools in one turn, as the providers do by default. */
        public Chat(
                List<ChatMessage> messages,
                OptionalInt maxTokens,
                OptionalDouble temperature,
                Map<String, JsonNode> providerFields,
                List<Tool> tools,
                ToolChoice toolChoice) {
            this(messages, maxTokens, temperature, providerFields, tools, toolChoice, true);
        }

        public Chat(
                List<ChatMessage> messages,
                OptionalInt maxTokens,
                OptionalDouble temperature,
                Map<String, JsonNode> providerFields) {
            this(messages, maxTokens, temperature, providerFields, List.of(), new ToolChoice.Auto());
        }

        public Chat(List<ChatMessage> messages, OptionalInt maxTokens, OptionalDouble temperature) {
            this(messages, maxTokens, temperature, Map.of());
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
