package dev.pipewright.model;

import java.util.List;

/**
 * One message of a conversation. Tool calls ({@link ContentPart.ToolUse}) belong to assistant messages and tool
 * results ({@link ContentPart.ToolResult}) to user messages, as the Messages API places them; an OpenAI
 * {@code role: tool} message is a user message holding one result.
 */
public record ChatMessage(Role role, List<ContentPart> content) {

    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT
    }

    public ChatMessage {
        content = List.copyOf(content);
        if (content.isEmpty()) {
            throw new IllegalArgumentException("a " + role + " message needs content");
        }
        for (ContentPart part : content) {
            switch (part) {
                case ContentPart.ToolUse use
                when role != Role.ASSISTANT ->
                    throw new IllegalArgumentException("tool call " + use.call().id() + " in a " + role
                            + " message; only assistant messages carry tool calls");
                case ContentPart.ToolResult result
                when role != Role.USER ->
                    throw new IllegalArgumentException("the result of tool call " + result.toolCallId() + " in a "
                            + role + " message; only user messages carry tool results");
                default -> {}
            }
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, List.of(new ContentPart.Text(text)));
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, List.of(new ContentPart.Text(text)));
    }

    /** The concatenated text parts, as a provider that only takes text would see them. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (ContentPart part : content) {
            if (part instanceof ContentPart.Text t) {
                text.append(t.text());
            }
        }
        return text.toString();
    }

    /** The tool calls this message carries, in order. */
    public List<ToolCall> toolCalls() {
        return content.stream()
                .filter(ContentPart.ToolUse.class::isInstance)
                .map(part -> ((ContentPart.ToolUse) part).call())
                .toList();
    }
}
