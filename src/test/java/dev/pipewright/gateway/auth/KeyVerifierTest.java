package dev.pipewright.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyVerifierTest {
    private static final PipewrightConfig CONFIG = ConfigLoader.parse(
            """
            tenants:
              acme: {api_keys: ["%s", "%s"]}
              beta: {api_keys: ["%s"]}
            """.formatted(ApiKeys.hash("pw_a1"), ApiKeys.hash("pw_a2"), ApiKeys.hash("pw_b1")), "test.yaml");

    /** Records every comparison and makes it with {@link MessageDigest#isEqual}, as production does. */
    private static final class RecordingComparison implements BiPredicate<byte[], byte[]> {
        final List<Boolean> outcomes = new ArrayList<>();

        @Override
        public boolean test(byte[] known, byte[] presented) {
            boolean same = MessageDigest.isEqual(known, presented);
            outcomes.add(same);
            return same;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pw_master", "pw_a1", "pw_a2", "pw_b1", "pw_unknown"})
    void compares_with_every_known_hash_whichever_key_matches(String presented) {
        // given
        RecordingComparison comparison = new RecordingComparison();
        KeyVerifier verifier = new KeyVerifier(() -> CONFIG, Optional.of("pw_master"), Optional.empty(), comparison);

        // when
        verifier.verify(presented);

        // then
        assertThat(comparison.outcomes)
                .as("no early exit: one comparison per known hash")
                .hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pw_a1:acme", "pw_a2:acme", "pw_b1:beta", "pw_master:default", "pw_dev:default"})
    void finds_the_tenant_of_each_kind_of_key(String keyAndTenant) {
        // given
        String[] parts = keyAndTenant.split(":");
        KeyVerifier verifier =
                new KeyVerifier(() -> CONFIG, Optional.of("pw_master"), Optional.of(ApiKeys.hash("pw_dev")));

        // when
        Optional<Tenant> tenant = verifier.verify(parts[0]);

        // then
        assertThat(tenant).map(Tenant::name).hasValue(parts[1]);
        assertThat(tenant.orElseThrow().master()).isEqualTo(parts[0].equals("pw_master"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pw_a1 ", "PW_A1", "pw_a", "sha256:" + "0"})
    void refuses_anything_but_the_exact_key(String presented) {
        // given
        KeyVerifier verifier = new KeyVerifier(() -> CONFIG, Optional.empty(), Optional.empty());

        // when / then
        assertThat(verifier.verify(presented)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void a_development_key_is_needed_only_without_any_other_key(boolean withMasterKey) {
        // given
        PipewrightConfig noTenants = ConfigLoader.parse("server: {port: 8080}", "test.yaml");
        Map<String, String> environment = withMasterKey ? Map.of(KeyVerifier.MASTER_KEY_ENV, "pw_m") : Map.of();

        // when
        boolean needed = KeyVerifier.noKeyConfigured(noTenants, KeyVerifier.masterKey(environment));

        // then
        assertThat(needed).isEqualTo(!withMasterKey);
        assertThat(KeyVerifier.noKeyConfigured(CONFIG, Optional.empty())).isFalse();
    }
}
