package dev.pipewright.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Reads {@code tenants: NAME: {api_keys, rpm, tpm, budget}}. Keys are only ever written as their SHA-256 hash, and a
 * key identifies exactly one tenant. A bad key is never quoted in a problem, as it may be a real key pasted in.
 */
final class TenantsReader {
    private static final Pattern KEY_HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

    private TenantsReader() {}

    static Map<String, TenantConfig> read(ConfigNode section) {
        Map<String, TenantConfig> tenants = new LinkedHashMap<>();
        Map<String, String> tenantOfKey = new HashMap<>();
        section.entries("tenant names to {api_keys, rpm, tpm, budget, webhook_secret_env}", NameRule.PLAIN)
                .forEach((name, node) -> {
                    node.required()
                            .block("api_keys", "rpm", "tpm", "budget", "webhook_secret_env")
                            .map(block -> tenant(name, block, tenantOfKey))
                            .ifPresent(tenant -> tenants.put(name, tenant));
                });
        return tenants;
    }

    private static TenantConfig tenant(String name, ConfigNode block, Map<String, String> tenantOfKey) {
        List<String> keys = keyHashes(name, block.get("api_keys").secret().required(), tenantOfKey);
        OptionalInt rpm = block.get("rpm").positiveInteger();
        OptionalInt tpm = block.get("tpm").positiveInteger();
        Optional<Budget> budget = CostsReader.budget(block.get("budget"));
        Optional<String> webhookSecretEnv = WebhooksReader.secretVariable(block.get("webhook_secret_env"));
        return new TenantConfig(name, keys, rpm, tpm, budget, webhookSecretEnv);
    }

    private static List<String> keyHashes(String tenant, ConfigNode keysNode, Map<String, String> tenantOfKey) {
        List<String> hashes = new ArrayList<>();
        for (ConfigNode item : keysNode.elements()) {
            Optional<String> hash = item.text().flatMap(TenantsReader::normalizedHash);
            if (hash.isEmpty()) {
                item.peekText()
                        .ifPresent(notAHash -> item.problem("is not a key hash; write 'sha256:' and the 64 hex"
                                + " digits of the key's SHA-256, never the key itself"));
                continue;
            }
            String owner = tenantOfKey.putIfAbsent(hash.get(), tenant);
            if (owner == null) {
                hashes.add(hash.get());
            } else {
                item.problem("the same key is already given to tenant '" + owner + "'");
            }
        }
        if (keysNode.isList() && keysNode.items().isEmpty()) {
            keysNode.problem("a tenant needs at least one key");
        }
        return hashes;
    }

    private static Optional<String> normalizedHash(String key) {
        return KEY_HASH.matcher(key).matches() ? Optional.of(key.toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
