package dev.pipewright.pipeline;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The version a result reports: a fingerprint of everything that decides what a run does, the pipeline's definition
 * and the definition of every model it can reach (its fallbacks included). Any change to a prompt, a pinned model, a
 * price or a policy changes the version; an unrelated change elsewhere in the configuration does not.
 */
public final class PipelineVersion {
    private static final int MAX_CACHED = 512;

    /**
     * Versions by pipeline identity: every result names its version, so it is hashed once per pipeline record, not
     * once per request. A configuration is immutable, so one record always has one version; only reloads create new
     * records, and dropping the versions of replaced ones bounds the cache.
     */
    private static final Map<Identity, String> VERSIONS = new ConcurrentHashMap<>();

    private PipelineVersion() {}

    /** The version of {@code pipeline}, whose models {@code models} resolves; the same for the life of the record. */
    public static String of(PipelineConfig pipeline, Function<String, ModelConfig> models) {
        Identity key = new Identity(pipeline);
        String version = VERSIONS.get(key);
        if (version != null) {
            return version;
        }
        if (VERSIONS.size() >= MAX_CACHED) {
            VERSIONS.clear();
        }
        return VERSIONS.computeIfAbsent(key, ignored -> fingerprint(pipeline, models));
    }

    private static String fingerprint(PipelineConfig pipeline, Function<String, ModelConfig> models) {
        StringBuilder definition = new StringBuilder(pipeline.toString());
        Set<String> reached = new LinkedHashSet<>();
        pipeline.steps().forEach(step -> reach(step.model(), models, reached));
        reached.forEach(alias -> definition.append('\n').append(models.apply(alias)));
        return "sha256:"
                + HexFormat.of().formatHex(sha256(definition.toString())).substring(0, 16);
    }

    private static void reach(String alias, Function<String, ModelConfig> models, Set<String> reached) {
        if (reached.add(alias)) {
            models.apply(alias).fallbacks().forEach(fallback -> reach(fallback, models, reached));
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
