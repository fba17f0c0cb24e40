package dev.pipewright.provider.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Shell scripts that stand in for the tesseract program, called as {@code tesseract IMAGE stdout -l LANG}, so the
 * OCR process handling can be tested where Tesseract is not installed.
 */
final class FakeTesseract {
    private FakeTesseract() {}

    /** Prints the image file's suffix, byte count and language, as recognised text would be printed. */
    static Path reading(Path dir) throws IOException {
        return script(
                dir,
                "reading",
                "printf '  read %s image of %s bytes in %s\\n\\n' \"${1##*.}\" \"$(wc -c < \"$1\" | tr -d ' ')\" \"$4\"");
    }

    /** Fails the way Tesseract does on an image it cannot decode. */
    static Path failing(Path dir) throws IOException {
        return script(dir, "failing", "echo 'Error in pixReadStream: Unknown format: no pix returned' >&2; exit 1");
    }

    /** Never finishes on its own. */
    static Path hanging(Path dir) throws IOException {
        return script(dir, "hanging", "exec sleep 30");
    }

    private static Path script(Path dir, String name, String body) throws IOException {
        Path script = dir.resolve(name + "-tesseract");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
