package dev.pipewright.jobs.documents;

import java.util.Objects;

/**
 * The text of a document and the media type it was read as. {@code truncated} is true when the text was cut at the
 * extractor's limit.
 */
public record ExtractedDocument(String text, String mediaType, boolean truncated) {
    public ExtractedDocument {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
