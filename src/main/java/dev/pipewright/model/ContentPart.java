package dev.pipewright.model;

import java.util.Objects;

/** A piece of a chat message: text, or an image given as an {@code https:} or {@code data:} URL. */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

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
}
