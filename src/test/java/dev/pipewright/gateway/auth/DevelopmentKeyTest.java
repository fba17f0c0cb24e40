package dev.pipewright.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeyTest {
    @TempDir
    Path dir;

    @Test
    void the_first_start_makes_a_key_and_stores_only_its_hash() throws IOException {
        // given
        Path file = dir.resolve(".pipewright/dev-key.sha256");

        // when
        DevelopmentKey.Outcome outcome = DevelopmentKey.loadOrCreate(file, new SecureRandom());

        // then
        assertThat(outcome).isInstanceOfSatisfying(DevelopmentKey.Outcome.Created.class, created -> {
            assertThat(created.key()).startsWith("pw_").hasSizeGreaterThanOrEqualTo(3 + 43);
            assertThat(created.hash()).isEqualTo(ApiKeys.hash(created.key()));
        });
        String stored = Files.readString(file).strip();
        assertThat(stored).isEqualTo(outcome.hash());
        assertThat(stored).doesNotContain(((DevelopmentKey.Outcome.Created) outcome).key());
    }

    @Test
    void later_starts_reuse_the_stored_hash_and_never_see_a_key() throws IOException {
        // given
        Path file = dir.resolve("dev-key.sha256");
        DevelopmentKey.Outcome first = DevelopmentKey.loadOrCreate(file, new SecureRandom());

        // when
        DevelopmentKey.Outcome second = DevelopmentKey.loadOrCreate(file, new SecureRandom());

        // then
        assertThat(second).isEqualTo(new DevelopmentKey.Outcome.Existing(first.hash()));
    }

    @Test
    void a_file_that_holds_no_hash_is_refused_with_its_name() throws IOException {
        // given
        Path file = dir.resolve("dev-key.sha256");
        Files.writeString(file, "pw_a-raw-key");

        // when / then
        assertThatThrownBy(() -> DevelopmentKey.loadOrCreate(file, new SecureRandom()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("pw_a-raw-key");
    }

    @Test
    void generated_keys_differ_and_carry_32_random_bytes() {
        // given
        SecureRandom random = new SecureRandom();

        // when
        String one = ApiKeys.generate(random);
        String two = ApiKeys.generate(random);

        // then
        assertThat(one).isNotEqualTo(two).matches("pw_[A-Za-z0-9_-]{43}");
    }
}
