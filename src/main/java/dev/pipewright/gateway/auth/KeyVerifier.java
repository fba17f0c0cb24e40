package dev.pipewright.gateway.auth;

import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.TenantConfig;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Finds the tenant a presented key belongs to. Only hashes are held: the presented key is hashed and compared with
 * every known hash in constant time ({@link MessageDigest#isEqual}) and without stopping at a match, so the time
 * taken says nothing about which key, if any, matched. The known hashes are the tenants' {@code api_keys} of the
 * current configuration (re-read when a reload replaces it), the master key and the development key.
 */
public final class KeyVerifier {
    /** The environment variable that holds the admin master key. */
    public static final String MASTER_KEY_ENV = "PIPEWRIGHT_MASTER_KEY";

    private final Supplier<PipewrightConfig> config;
    private final List<Entry> fixed;
    private final BiPredicate<byte[], byte[]> sameDigest;
    private volatile Snapshot snapshot;

    private record Entry(byte[] digest, Tenant tenant) {}

    private record Snapshot(PipewrightConfig source, List<Entry> entries) {}

    /**
     * {@code masterKey} is the raw key from the environment (hashed here, never kept); {@code developmentKeyHash} is
     * the stored hash of the generated development key, which acts for tenant {@code default}.
     */
    public KeyVerifier(
            Supplier<PipewrightConfig> config, Optional<String> masterKey, Optional<String> developmentKeyHash) {
        this(config, masterKey, developmentKeyHash, MessageDigest::isEqual);
    }

    KeyVerifier(
            Supplier<PipewrightConfig> config,
            Optional<String> masterKey,
            Optional<String> developmentKeyHash,
            BiPredicate<byte[], byte[]> sameDigest) {
        this.config = config;
        this.sameDigest = sameDigest;
        List<Entry> entries = new ArrayList<>();
        masterKey.ifPresent(key -> entries.add(new Entry(ApiKeys.digest(key), new Tenant(Tenant.DEFAULT, true))));
        developmentKeyHash.ifPresent(
                hash -> entries.add(new Entry(ApiKeys.digestOf(hash), new Tenant(Tenant.DEFAULT, false))));
        this.fixed = List.copyOf(entries);
    }

    /** The master key from {@code environment}, when set and not blank. */
    public static Optional<String> masterKey(Map<String, String> environment) {
        return Optional.ofNullable(environment.get(MASTER_KEY_ENV))
                .map(String::strip)
                .filter(key -> !key.isEmpty());
    }

    /** True when neither the configuration nor the environment gives any key, so a development key is needed. */
    public static boolean noKeyConfigured(PipewrightConfig config, Optional<String> masterKey) {
        return masterKey.isEmpty()
                && config.tenants().values().stream()
                        .allMatch(tenant -> tenant.apiKeyHashes().isEmpty());
    }

    public Optional<Tenant> verify(String presentedKey) {
        byte[] digest = ApiKeys.digest(presentedKey);
        Tenant found = null;
        for (Entry entry : entries()) {
            boolean same = sameDigest.test(entry.digest(), digest);
            if (same && found == null) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    private List<Entry> entries() {
        PipewrightConfig current = config.get();
        Snapshot known = snapshot;
        if (known == null || known.source() != current) {
            known = new Snapshot(current, entriesOf(current));
            snapshot = known;
        }
        return known.entries();
    }

    private List<Entry> entriesOf(PipewrightConfig current) {
        List<Entry> entries = new ArrayList<>(fixed);
        for (TenantConfig tenant : current.tenants().values()) {
            for (String hash : tenant.apiKeyHashes()) {
                entries.add(new Entry(ApiKeys.digestOf(hash), new Tenant(tenant.name(), false)));
            }
        }
        return List.copyOf(entries);
    }
}
