package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ConfigLoader;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.gateway.auth.ApiKeys;
import dev.pipewright.testing.FakeClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayAccessTest {
    private static final Pattern KEY = Pattern.compile("pw_[A-Za-z0-9_-]{43}");

    @TempDir
    Path dir;

    private String start(PipewrightConfig config, Map<String, String> environment) throws IOException {
        StringWriter err = new StringWriter();
        try (GatewayAccess access = GatewayAccess.start(
                () -> config, dir.resolve("pipewright.yaml"), environment, new PrintWriter(err), new FakeClock())) {
            assertThat(access.filter()).isNotNull();
        }
        return err.toString();
    }

    @Test
    void without_any_key_the_first_serve_prints_a_development_key_once() throws IOException {
        // given
        PipewrightConfig config = ConfigLoader.parse("server: {port: 8080}", "pipewright.yaml");

        // when
        String first = start(config, Map.of());
        String second = start(config, Map.of());

        // then
        Matcher key = KEY.matcher(first);
        assertThat(key.find()).as("the key is shown: " + first).isTrue();
        assertThat(Files.readString(dir.resolve(GatewayAccess.DEV_KEY_FILE)).strip())
                .isEqualTo(ApiKeys.hash(key.group()));
        assertThat(second).isEmpty();
    }

    @Test
    void with_a_master_key_no_development_key_is_made() throws IOException {
        // given
        PipewrightConfig config = ConfigLoader.parse("server: {port: 8080}", "pipewright.yaml");

        // when
        String err = start(config, Map.of("PIPEWRIGHT_MASTER_KEY", "pw_master"));

        // then
        assertThat(err).isEmpty();
        assertThat(dir.resolve(GatewayAccess.DEV_KEY_FILE)).doesNotExist();
    }
}
