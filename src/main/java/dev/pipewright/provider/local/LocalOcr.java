package dev.pipewright.provider.local;

import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.provider.local.internal.DataUrl;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Optical character recognition through the Tesseract command-line program. The image must arrive as a base64
 * {@code data:} URL: it is written to a temporary file, which is deleted afterwards. Remote URLs are refused rather
 * than fetched, because fetching belongs to the gateway's guarded fetcher. When the program is not installed the call
 * fails with {@link ModelError.Unavailable}, so an optional pipeline step degrades instead of failing the run. Thread
 * safe: each call runs its own process.
 */
public final class LocalOcr {
    public static final String DEFAULT_COMMAND = "tesseract";

    private final String command;
    private final String language;

    /** Runs {@value #DEFAULT_COMMAND} from the PATH with English ({@code eng}) language data. */
    public LocalOcr() {
        this(DEFAULT_COMMAND, "eng");
    }

    /**
     * @param command the program's name on the PATH or its path
     * @param language Tesseract language codes, such as {@code eng} or {@code eng+deu}
     */
    public LocalOcr(String command, String language) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("the OCR command must not be blank, but was '" + command + "'");
        }
        if (language == null || !language.matches("[a-z_]+(\\+[a-z_]+)*")) {
            throw new IllegalArgumentException(
                    "language must be Tesseract codes like eng+deu, but was '" + language + "'");
        }
        this.command = command;
        this.language = language;
    }

    /**
     * The text in the image at {@code imageUrl}, stripped of surrounding whitespace.
     *
     * @throws ModelException {@code InvalidRequest} for a URL that is not a base64 image {@code data:} URL or an
     *     image the program rejects; {@code Unavailable} when the program is not installed; {@code Timeout} after
     *     {@code timeout} or on interruption, having killed the process
     */
    public String read(String imageUrl, Duration timeout) {
        DataUrl image = decode(imageUrl);
        Path file = null;
        try {
            file = Files.createTempFile("pipewright-ocr-", image.fileSuffix());
            Files.write(file, image.bytes());
            return run(file, timeout);
        } catch (IOException e) {
            throw new ModelException(
                    new ModelError.Unavailable(
                            "could not write the image to a temporary file: " + e, 500, Optional.empty()),
                    e);
        } finally {
            deleteQuietly(file);
        }
    }

    private static DataUrl decode(String imageUrl) {
        if (!imageUrl.regionMatches(true, 0, "data:", 0, 5)) {
            throw invalid("local OCR accepts only data: URLs (base64 images), not "
                    + imageUrl.substring(0, Math.max(0, imageUrl.indexOf(':'))).toLowerCase(Locale.ROOT)
                    + " URLs; send the image inline");
        }
        try {
            DataUrl image = DataUrl.parse(imageUrl);
            if (!image.mediaType().startsWith("image/")) {
                throw invalid("local OCR needs an image, but the data: URL holds " + image.mediaType());
            }
            return image;
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private String run(Path image, Duration timeout) {
        Process process = start(List.of(command, image.toString(), "stdout", "-l", language));
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ModelException(new ModelError.Timeout(command + " did not finish within " + timeout));
            }
            if (process.exitValue() != 0) {
                throw invalid(command + " could not read the image (exit " + process.exitValue() + "): "
                        + firstChars(stderr.join().strip(), 300));
            }
            return stdout.join().strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(new ModelError.Timeout(command + " was interrupted"), e);
        } finally {
            process.destroyForcibly();
        }
    }

    private Process start(List<String> arguments) {
        try {
            return new ProcessBuilder(arguments).start();
        } catch (IOException e) {
            String message =
                    installed() ? command + " could not be started: " + e.getMessage() : command + " is not installed";
            throw new ModelException(new ModelError.Unavailable(message, 503, Optional.empty()), e);
        }
    }

    /** Whether the command names an executable file, as a path or by name in a PATH directory. */
    private boolean installed() {
        if (command.contains(File.separator)) {
            return Files.isExecutable(Path.of(command));
        }
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    /** Drains a process stream on its own thread so a full pipe buffer cannot block the process. */
    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                task -> Thread.ofVirtual().start(task));
    }

    private static String firstChars(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "...";
    }

    private static ModelException invalid(String message) {
        return new ModelException(new ModelError.InvalidRequest(message));
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
