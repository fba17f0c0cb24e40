package dev.pipewright.jobs.documents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * Reads the text of a document with Apache Tika: PDF, Office (DOCX and the other OOXML and legacy formats), HTML and
 * plain text, the formats of the parser modules on the classpath; the type is detected from the content and the file
 * name. Files above {@code maxFileBytes} are refused before parsing, and text beyond {@code maxChars} is cut (the
 * result says so) so that one huge document cannot exhaust memory. Thread safe: each call parses with its own
 * handler and context.
 */
public final class DocumentText {
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;
    public static final int DEFAULT_MAX_CHARS = 1_000_000;

    private final Parser parser = new AutoDetectParser();
    private final long maxFileBytes;
    private final int maxChars;

    public DocumentText(long maxFileBytes, int maxChars) {
        if (maxFileBytes < 1 || maxChars < 1) {
            throw new IllegalArgumentException(
                    "limits must be positive, but were maxFileBytes=" + maxFileBytes + " and maxChars=" + maxChars);
        }
        this.maxFileBytes = maxFileBytes;
        this.maxChars = maxChars;
    }

    public static DocumentText withDefaultLimits() {
        return new DocumentText(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_CHARS);
    }

    /** The text of {@code file}, whitespace runs within lines kept, surrounding blank space trimmed. */
    public ExtractedDocument extract(Path file) throws DocumentExtractionException {
        long size = size(file);
        if (size > maxFileBytes) {
            throw new DocumentExtractionException(
                    file + " is " + size + " bytes; documents of at most " + maxFileBytes + " bytes are read");
        }
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
        BodyContentHandler handler = new BodyContentHandler(maxChars);
        boolean truncated = false;
        try (InputStream in = TikaInputStream.get(file, metadata)) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException encrypted) {
            throw new DocumentExtractionException(file + " is encrypted and cannot be read", encrypted);
        } catch (SAXException limit) {
            if (!WriteLimitReachedException.isWriteLimitReached(limit)) {
                throw new DocumentExtractionException(file + " could not be read: " + limit.getMessage(), limit);
            }
            truncated = true;
        } catch (TikaException | IOException unreadable) {
            throw new DocumentExtractionException(file + " could not be read: " + unreadable.getMessage(), unreadable);
        }
        String type = metadata.get(Metadata.CONTENT_TYPE);
        return new ExtractedDocument(
                handler.toString().strip(), type == null ? "application/octet-stream" : type, truncated);
    }

    private static long size(Path file) throws DocumentExtractionException {
        try {
            return Files.size(file);
        } catch (IOException unreadable) {
            throw new DocumentExtractionException(file + " cannot be read: " + unreadable.getMessage(), unreadable);
        }
    }
}
