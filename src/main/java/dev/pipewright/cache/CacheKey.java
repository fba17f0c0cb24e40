package dev.pipewright.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cached response is filed under: the {@code scope} that may see it (one tenant, or every tenant when the
 * cache is shared), the {@code target} that produced it (a pipeline version or a requested model) and the SHA-256 of
 * the canonical JSON of the request's semantic fields. Two keys are equal only when all three are.
 */
public record CacheKey(String scope, String target, String inputHash) {
    /** The scope of entries every tenant may see, when {@code cache.shared_across_tenants} is on. */
    public static final String SHARED_SCOPE = "shared";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    public CacheKey {
        requireText("scope", scope);
        requireText("target", target);
        if (!HASH.matcher(inputHash).matches()) {
            throw new IllegalArgumentException(
                    "inputHash must be 64 lower-case hex digits, but was '" + inputHash + "'");
        }
    }

    /**
     * The key of a request from {@code tenant} for {@code target}; {@code semanticInput} holds the fields that decide
     * the answer (never ones such as {@code stream} or {@code user} that do not).
     */
    public static CacheKey of(String tenant, boolean sharedAcrossTenants, String target, JsonNode semanticInput) {
        String scope = sharedAcrossTenants ? SHARED_SCOPE : "tenant:" + tenant;
        return new CacheKey(scope, target, sha256(CanonicalJson.write(semanticInput)));
    }

    /** The target of a pipeline run: a new version of the pipeline never sees the old version's entries. */
    public static String pipelineTarget(String pipeline, String version) {
        return "pipeline:" + pipeline + "@" + version;
    }

    /** The target of a proxied call, by the {@code model} the client asked for (an alias or a group). */
    public static String modelTarget(String requestedModel) {
        return "model:" + requestedModel;
    }

    /**
     * The key as one string for a store that keys by text: the scope in clear (so an operator can see and drop a
     * tenant's entries), then a hash of the rest, which keeps the text short and free of separators.
     */
    public String id() {
        return scope + "|" + sha256(target + "\n" + inputHash);
    }

    private static void requireText(String name, String value) {
        if (Objects.requireNonNull(value, name).isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
