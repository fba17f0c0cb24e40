package dev.pipewright.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API keys and the only form in which they are stored: {@code sha256:} and the hex SHA-256 of the key. A key is
 * {@code pw_} and 32 random bytes in unpadded base64url, so a hash of it cannot be reversed by guessing.
 */
public final class ApiKeys {
    public static final String KEY_PREFIX = "pw_";
    public static final String HASH_PREFIX = "sha256:";
    private static final int KEY_BYTES = 32;

    private ApiKeys() {}

    public static String generate(SecureRandom random) {
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The stored form of {@code key}: {@code sha256:} and 64 lower-case hex digits. */
    public static String hash(String key) {
        return HASH_PREFIX + HexFormat.of().formatHex(digest(key));
    }

    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** The digest inside a stored hash; the config loader has already checked the form, so a bad one is a bug. */
    static byte[] digestOf(String storedHash) {
        if (!storedHash.startsWith(HASH_PREFIX) || storedHash.length() != HASH_PREFIX.length() + 64) {
            throw new IllegalArgumentException("a stored key hash must be 'sha256:' and 64 hex digits");
        }
        return HexFormat.of().parseHex(storedHash, HASH_PREFIX.length(), storedHash.length());
    }
}
