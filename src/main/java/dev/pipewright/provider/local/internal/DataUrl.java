package dev.pipewright.provider.local.internal;

import java.util.Base64;
import java.util.Locale;

/** A decoded RFC 2397 {@code data:} URL carrying base64 content. */
public record DataUrl(String mediaType, byte[] bytes) {

    /**
     * Decodes {@code url}.
     *
     * @throws IllegalArgumentException naming what is wrong, when it is not a base64 {@code data:} URL
     */
    public static DataUrl parse(String url) {
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            throw new IllegalArgumentException("not a data: URL: " + abbreviate(url));
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("data: URL has no ',' before its content");
        }
        String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!header.endsWith(";base64")) {
            throw new IllegalArgumentException("data: URL must be base64 encoded, but its header was '" + header + "'");
        }
        String mediaType = header.substring(0, header.length() - ";base64".length());
        byte[] bytes = decode(url.substring(comma + 1));
        if (bytes.length == 0) {
            throw new IllegalArgumentException("data: URL has no content");
        }
        return new DataUrl(mediaType.isEmpty() ? "text/plain" : mediaType, bytes);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data: URL content is not valid base64: " + e.getMessage(), e);
        }
    }

    /** The file suffix for the media type, so tools that sniff by name read the file right. */
    public String fileSuffix() {
        return switch (mediaType) {
            case "image/png" -> ".png";
            case "image/jpeg", "image/jpg" -> ".jpg";
            case "image/gif" -> ".gif";
            case "image/bmp" -> ".bmp";
            case "image/tiff" -> ".tif";
            case "image/webp" -> ".webp";
            default -> ".img";
        };
    }

    private static String abbreviate(String url) {
        return url.length() <= 40 ? url : url.substring(0, 40) + "...";
    }
}
