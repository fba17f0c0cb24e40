package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhooksConfigTest {

    @Test
    void reads_the_allow_list_and_the_secret_variables() {
        // given
        String yaml = """
                webhooks:
                  allow: ["127.0.0.1", "localhost:9000", "10.0.0.0/8", "[::1]:8443", "fd00::/8"]
                  secret_env: HOOK_SECRET
                tenants:
                  acme: {api_keys: ["sha256:%s"], webhook_secret_env: ACME_HOOK_SECRET}
                """.formatted("a".repeat(64));

        // when
        PipewrightConfig config = ConfigLoader.parse(yaml, "t.yaml");

        // then
        assertThat(config.webhooks().allow())
                .extracting(Object::toString)
                .containsExactly(
                        "Range[network=/127.0.0.1, prefixLength=32, port=OptionalInt.empty]",
                        "Host[name=localhost, port=OptionalInt[9000]]",
                        "Range[network=/10.0.0.0, prefixLength=8, port=OptionalInt.empty]",
                        "Range[network=/0:0:0:0:0:0:0:1, prefixLength=128, port=OptionalInt[8443]]",
                        "Range[network=/fd00:0:0:0:0:0:0:0, prefixLength=8, port=OptionalInt.empty]");
        assertThat(config.webhooks().secretEnvOf(config.tenant("acme"))).contains("ACME_HOOK_SECRET");
        assertThat(config.webhooks().secretEnvOf(config.tenant("default"))).contains("HOOK_SECRET");
    }

    @Test
    void without_a_webhooks_section_nothing_private_is_allowed_and_there_is_no_secret() {
        // when
        PipewrightConfig config = ConfigLoader.parse("server: {port: 1}\n", "t.yaml");

        // then
        assertThat(config.webhooks()).isEqualTo(WebhooksConfig.DEFAULT);
        assertThat(config.webhooks().secretEnvOf(Optional.empty())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            not a host!   | webhooks.allow[0] | 'not a host!' is not an address, a CIDR range or a host name; write for instance 127.0.0.1, 10.0.0.0/8, [::1]:9000 or localhost:9000
            10.0.0.0/33   | webhooks.allow[0] | prefix length must be between 0 and 32, but was 33
            10.0.0.0/x    | webhooks.allow[0] | '10.0.0.0/x' has no prefix length after '/'; write for instance 10.0.0.0/8
            300.1.1.1     | webhooks.allow[0] | '300.1.1.1' is not a valid IP address or CIDR range
            localhost:0   | webhooks.allow[0] | 'localhost:0' has port 0, but a port must be between 1 and 65535
            """)
    void reports_an_allow_entry_that_cannot_be_read(String entry, String path, String message) {
        // given
        String yaml = "webhooks: {allow: [\"" + entry + "\"]}\n";

        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure.problems()).containsExactly(new ConfigProblem(path, message));
    }

    @Test
    void never_quotes_a_secret_pasted_where_its_variable_name_belongs() {
        // given
        String yaml = "webhooks: {secret_env: \"whsec_abc123 secret\"}\n";

        // when
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "t.yaml"));

        // then
        assertThat(failure.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("webhooks.secret_env");
            assertThat(problem.message()).doesNotContain("whsec_abc123");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8      | anything  | 10.200.3.4    | 443  | true
            10.0.0.0/8      | anything  | 11.0.0.1      | 443  | false
            172.16.0.0/12   | anything  | 172.31.255.1  | 80   | true
            172.16.0.0/12   | anything  | 172.32.0.1    | 80   | false
            127.0.0.1       | localhost | 127.0.0.1     | 9000 | true
            localhost:9000  | localhost | 127.0.0.1     | 9000 | true
            localhost:9000  | localhost | 127.0.0.1     | 9001 | false
            localhost:9000  | LOCALHOST | 127.0.0.1     | 9000 | true
            [::1]:8443      | anything  | ::1           | 8443 | true
            fd00::/8        | anything  | fd12::1       | 80   | true
            fd00::/8        | anything  | 10.0.0.1      | 80   | false
            """)
    void an_entry_covers_its_addresses_hosts_and_ports(
            String entry, String host, String address, int port, boolean covered) throws Exception {
        // given
        AllowedTarget target = AllowedTarget.parse(entry);

        // when
        boolean covers = target.covers(host, InetAddress.getByName(address), port);

        // then
        assertThat(covers).isEqualTo(covered);
    }

    @Test
    void a_tenant_may_name_its_own_secret_variable() {
        // given
        TenantConfig tenant = new TenantConfig(
                "acme", List.of(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), Optional.empty());

        // then
        assertThat(tenant.webhookSecretEnv()).isEmpty();
    }
}
