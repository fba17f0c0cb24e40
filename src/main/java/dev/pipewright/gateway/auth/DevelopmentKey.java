package dev.pipewright.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The key a first {@code serve} without any configured key makes for its developer. Only its hash is written (to a
 * file the caller chooses, conventionally {@code .pipewright/dev-key.sha256} beside the configuration); the key
 * itself exists only in the {@link Outcome.Created} returned by the start that made it, which shows it once.
 */
public final class DevelopmentKey {
    private static final Pattern STORED = Pattern.compile("sha256:[0-9a-f]{64}");

    private DevelopmentKey() {}

    /** What a start found: a key it has just made (to show once), or the hash an earlier start stored. */
    public sealed interface Outcome {
        String hash();

        record Created(String key, String hash) implements Outcome {}

        record Existing(String hash) implements Outcome {}
    }

    /** Reads the stored hash, or creates a key and stores its hash when {@code file} does not exist yet. */
    public static Outcome loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return new Outcome.Existing(read(file));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        String key = ApiKeys.generate(random);
        String hash = ApiKeys.hash(key);
        try {
            Files.writeString(file, hash + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException raced) {
            return new Outcome.Existing(read(file));
        }
        restrictToOwner(file);
        return new Outcome.Created(key, hash);
    }

    private static String read(Path file) throws IOException {
        String hash = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!STORED.matcher(hash).matches()) {
            throw new IOException(file + " does not hold a development key hash ('sha256:' and 64 lower-case hex"
                    + " digits); delete it to have a new key made");
        }
        return hash;
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
