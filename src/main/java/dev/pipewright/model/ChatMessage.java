package dev.pipewright.model;

import java.util.List;

/** One message of a conversation. */
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
}
