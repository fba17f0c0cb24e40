package dev.pipewright.jobs.documents;

/** A document whose text cannot be read: too large, of a format without a parser, damaged or encrypted. */
public final class DocumentExtractionException extends Exception {
    public DocumentExtractionException(String message) {
        super(message);
    }

    public DocumentExtractionException(String message, Throwable cause) {
        super(message, cause);
    }
}
