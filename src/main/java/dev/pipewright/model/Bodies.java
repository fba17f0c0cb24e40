package dev.pipewright.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Reads an HTTP body whole, sized by its declared length. {@link InputStream#readAllBytes} and
 * {@link InputStream#readNBytes} ask for 16 KB at a time, and Helidon's entity streams allocate a buffer of the size
 * asked for: every small JSON body of a request or an upstream answer cost two 16 KB arrays of garbage. With a
 * declared length the body is read into one array of its size.
 */
public final class Bodies {
    private Bodies() {}

    /**
     * The body of {@code in}, of {@code declaredLength} bytes when that is known, read to its end so that the
     * connection can be reused; at most {@code limit + 1} bytes, so that the caller can tell a body over its limit.
     */
    public static byte[] read(InputStream in, OptionalLong declaredLength, int limit) throws IOException {
        if (declaredLength.isEmpty() || declaredLength.getAsLong() > limit) {
            return in.readNBytes(limit == Integer.MAX_VALUE ? limit : limit + 1);
        }
        byte[] body = in.readNBytes((int) declaredLength.getAsLong());
        if (body.length == declaredLength.getAsLong() && in.read() >= 0) {
            throw new IOException("the body is longer than its declared length of " + body.length + " bytes");
        }
        return body;
    }
}
