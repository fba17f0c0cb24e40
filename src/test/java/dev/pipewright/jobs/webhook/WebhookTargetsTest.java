package dev.pipewright.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.AllowedTarget;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookTargetsTest {
    /** A DNS of the test's own: names resolve to what the table needs, without any network. */
    static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "dual.example.com", List.of("93.184.216.34", "10.1.2.3"),
            "rebound.example.com", List.of("192.168.1.20"),
            "metadata.google.internal", List.of("169.254.169.254"),
            "localhost", List.of("127.0.0.1"),
            "v6.example.com", List.of("2606:2800:220:1:248:1893:25c8:1946"));

    static HostResolver fakeDns() {
        return host -> {
            List<String> addresses = DNS.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(WebhookTargetsTest::literal).toList();
        };
    }

    static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://hooks.example.com/in                | public address
            http://93.184.216.34:8080/in                | public IPv4 literal
            https://v6.example.com/in                   | public IPv6 address
            https://[2606:2800:220:1:248:1893:25c8:1946]/ | public IPv6 literal
            https://HOOKS.example.com./in               | upper case and a final dot
            """)
    void calls_public_addresses(String url, String why) {
        // given
        WebhookTargets targets = new WebhookTargets(List.of(), fakeDns());

        // when
        CheckedTarget target = targets.check(url);

        // then
        assertThat(target.address().isLoopbackAddress()).as(why).isFalse();
        assertThat(target.host()).isNotBlank();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://127.0.0.1/x                   | a loopback address
            http://127.8.9.10/x                  | a loopback address
            http://localhost:9000/x              | a loopback address
            http://[::1]/x                       | a loopback address
            http://10.0.0.5/x                    | a private address (10.0.0.0/8)
            http://172.16.0.1/x                  | a private address (172.16.0.0/12)
            http://172.31.255.255/x              | a private address (172.16.0.0/12)
            http://192.168.0.1/x                 | a private address (192.168.0.0/16)
            http://rebound.example.com/x         | a private address (192.168.0.0/16)
            http://dual.example.com/x            | a private address (10.0.0.0/8)
            http://[fc00::1]/x                   | a unique local address (fc00::/7)
            http://[fd12:3456::1]/x              | a unique local address (fc00::/7)
            http://169.254.10.10/x               | a link-local address (169.254.0.0/16)
            http://[fe80::1]/x                   | a link-local address (fe80::/10)
            http://100.64.0.1/x                  | a carrier-grade NAT address (100.64.0.0/10)
            http://100.127.255.254/x             | a carrier-grade NAT address (100.64.0.0/10)
            http://0.0.0.0/x                     | an unspecified address (0.0.0.0/8)
            http://0.1.2.3/x                     | an unspecified address (0.0.0.0/8)
            http://224.0.0.1/x                   | a multicast address
            http://[ff02::1]/x                   | a multicast address
            http://169.254.169.254/latest        | a cloud metadata address
            http://[fd00:ec2::254]/latest        | a cloud metadata address
            http://metadata.google.internal/x    | a cloud metadata service
            http://[::ffff:10.0.0.1]/x           | a private address (10.0.0.0/8)
            http://[64:ff9b::a00:1]/x            | a private address (10.0.0.0/8)
            http://[2002:7f00:1::]/x             | a loopback address
            http://2130706433/x                  | a loopback address
            """)
    void refuses_addresses_inside_the_network(String url, String reason) {
        // given
        WebhookTargets targets = new WebhookTargets(List.of(), withLiteralFallback(fakeDns()));

        // when / then
        assertThatThrownBy(() -> targets.check(url))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("webhooks.allow");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ftp://hooks.example.com/x          | must be an absolute http or https URL, but its scheme was 'ftp'
            file:///etc/passwd                 | must be an absolute http or https URL, but its scheme was 'file'
            hooks.example.com/x                | must be an absolute http or https URL, but its scheme was ''
            https://user:pw@hooks.example.com/ | must not carry a user or password
            https://nowhere.invalid/x          | host 'nowhere.invalid' does not resolve to any address
            http://exa mple.com/               | is not a valid URL
            """)
    void refuses_urls_that_are_not_plain_http(String url, String message) {
        // given
        WebhookTargets targets = new WebhookTargets(List.of(), fakeDns());

        // when / then
        assertThatThrownBy(() -> targets.check(url))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1       | http://127.0.0.1:9000/x       | true
            localhost:9000  | http://localhost:9000/x       | true
            localhost:9000  | http://localhost:9001/x       | false
            localhost:9000  | http://127.0.0.1:9000/x       | false
            10.0.0.0/8      | http://10.20.30.40/x          | true
            10.0.0.0/8      | http://192.168.0.1/x          | false
            169.254.169.254 | http://169.254.169.254/latest | true
            """)
    void calls_what_the_allow_list_covers(String allowed, String url, boolean called) {
        // given
        WebhookTargets targets = new WebhookTargets(List.of(AllowedTarget.parse(allowed)), fakeDns());

        // when
        boolean accepted;
        try {
            targets.check(url);
            accepted = true;
        } catch (RefusedTargetException refused) {
            accepted = false;
        }

        // then
        assertThat(accepted).isEqualTo(called);
    }

    @Test
    void pins_the_address_it_checked() {
        // given
        WebhookTargets targets = new WebhookTargets(List.of(), fakeDns());

        // when
        CheckedTarget target = targets.check("https://hooks.example.com/in");

        // then
        assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
        assertThat(target.port()).isEqualTo(443);
        assertThat(target.host()).isEqualTo("hooks.example.com");
    }

    /** IP literals (in any spelling the JVM accepts) resolve to themselves, as the system resolver does. */
    private static HostResolver withLiteralFallback(HostResolver names) {
        return host -> {
            try {
                return names.resolve(host);
            } catch (UnknownHostException notAName) {
                return List.of(InetAddress.getAllByName(host));
            }
        };
    }
}
