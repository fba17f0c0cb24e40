package dev.pipewright.cache;

import java.util.Arrays;
import java.util.Objects;

/**
 * A response body as it was sent, with its media type. The array is not copied (bodies can be large): neither the
 * caller nor a cache may change it after handing it over.
 */
public record CachedResponse(String contentType, byte[] body) {
    public CachedResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (contentType.isBlank() || contentType.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("contentType must be one non-empty line, but was '" + contentType + "'");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedResponse that
                && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * contentType.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "CachedResponse[" + contentType + ", " + body.length + " bytes]";
    }
}
