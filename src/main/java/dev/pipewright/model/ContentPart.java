package dev.pipewright.model;

import java.util.Objects;

/**
 * A piece of a chat message: text, an image given as an {@code https:} or {@code data:} URL, a tool call the
 * assistant made, or the result of one that the user hands back.
 */
public sealed interface ContentPart
        permits ContentPart.Text, ContentPart.Image, ContentPart.ToolUse, ContentPart.ToolResult {

    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    record Image(String url) implements ContentPart {
        public Image {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("an image part needs a url");
            }
        }
    }

    /** A tool call in an assistant message, as the model made it. */
    record ToolUse(ToolCall call) implements ContentPart {
        public ToolUse {
            Objects.requireNonNull(call, "call");
        }
    }

    /** The result of the tool call {@code toolCallId}, in a user message; {@code error} when the tool failed. */
    record ToolResult(String toolCallId, String content, boolean error) implements ContentPart {
        public ToolResult {
            if (toolCallId == null || toolCallId.isBlank()) {
                throw new IllegalArgumentException("a tool result needs the id of the tool call it answers");
            }
            Objects.requireNonNull(content, "content");
        }
    }
}
