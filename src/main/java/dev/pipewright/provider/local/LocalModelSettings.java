package dev.pipewright.provider.local;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the in-process models.
 *
 * @param classifier labels and temperature of the zero-shot classifier; defaults to {@link
 *     ClassifierSettings#defaults()} (technical, business, creative, legal at temperature 0.05)
 * @param summarySentences how many sentences {@code local-summarizer} keeps; default 3
 * @param classifierHead a {@link LogisticHead} file; when present it replaces zero-shot classification; default none
 * @param ocrCommand the Tesseract program, by name on the PATH or by path; default {@code tesseract}
 * @param ocrLanguage Tesseract language codes; default {@code eng}
 */
public record LocalModelSettings(
        ClassifierSettings classifier,
        int summarySentences,
        Optional<Path> classifierHead,
        String ocrCommand,
        String ocrLanguage) {
    public static final int DEFAULT_SUMMARY_SENTENCES = 3;

    public LocalModelSettings {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(classifierHead, "classifierHead");
        if (summarySentences < 1) {
            throw new IllegalArgumentException("summarySentences must be at least 1, but was " + summarySentences);
        }
        if (ocrCommand == null || ocrCommand.isBlank()) {
            throw new IllegalArgumentException("ocrCommand must not be blank, but was '" + ocrCommand + "'");
        }
        if (ocrLanguage == null || ocrLanguage.isBlank()) {
            throw new IllegalArgumentException("ocrLanguage must not be blank, but was '" + ocrLanguage + "'");
        }
    }

    public static LocalModelSettings defaults() {
        return new LocalModelSettings(
                ClassifierSettings.defaults(),
                DEFAULT_SUMMARY_SENTENCES,
                Optional.empty(),
                LocalOcr.DEFAULT_COMMAND,
                "eng");
    }
}
