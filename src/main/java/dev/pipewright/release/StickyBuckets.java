package dev.pipewright.release;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Where a caller falls on the percent line of a deployment: the SHA-256 of the deployment's name and the sticky key,
 * read as a number in [0, 100). The same key lands at the same place on every replica and after every restart, and
 * candidates take the line from 0 upwards, so a caller on a canary at 5% stays on it at 25%.
 */
final class StickyBuckets {
    private static final long RESOLUTION = 1_000_000;

    private StickyBuckets() {}

    static double percentOf(String deployment, String key) {
        byte[] digest = sha256(deployment + "\n" + key);
        long value = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        return Math.floorMod(value, RESOLUTION) * 100.0 / RESOLUTION;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
