package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelPinningTest {
    private final ModelPinning pinning = ModelPinning.shipped();

    @ParameterizedTest
    @CsvSource({
        "gpt-4o, gpt-4o-2024-11-20",
        "gpt-4o-mini, gpt-4o-mini-2024-07-18",
        "gpt-4.1, gpt-4.1-2025-04-14",
        "gpt-4.1-mini, gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano, gpt-4.1-nano-2025-04-14",
        "o3, o3-2025-04-16",
        "o4-mini, o4-mini-2025-04-16",
        "o1, o1-2024-12-17",
        "gpt-4-turbo, gpt-4-turbo-2024-04-09",
        "gpt-3.5-turbo, gpt-3.5-turbo-0125",
        "claude-sonnet-4-5, claude-sonnet-4-5-20250929",
        "claude-sonnet-4-0, claude-sonnet-4-20250514",
        "claude-opus-4-1, claude-opus-4-1-20250805",
        "claude-opus-4-0, claude-opus-4-20250514",
        "claude-haiku-4-5, claude-haiku-4-5-20251001",
        "claude-3-7-sonnet-latest, claude-3-7-sonnet-20250219",
        "claude-3-5-haiku-latest, claude-3-5-haiku-20241022",
        "GPT-4o, gpt-4o-2024-11-20"
    })
    void rejects_a_floating_alias_naming_the_snapshot_to_pin(String alias, String snapshot) {
        // when / then
        assertThat(pinning.problemWith(alias))
                .contains("'" + alias + "' is a floating alias; pin a dated snapshot such as '" + snapshot + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "chatgpt-4o-latest", "mistral-large-LATEST"})
    void rejects_latest_whether_or_not_the_table_knows_the_name(String model) {
        // when / then
        assertThat(pinning.problemWith(model)).contains("'" + model + "' is a floating alias; pin a dated snapshot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3:latest", "qwen2.5:Latest"})
    void rejects_a_latest_tag(String model) {
        // when / then
        assertThat(pinning.problemWith(model))
                .contains("'" + model + "' is a floating tag; pin a fixed tag or digest of the model");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gpt-4o-2024-11-20",
                "claude-sonnet-4-20250514",
                "text-embedding-3-small",
                "llama3.1:8b-instruct-q4_K_M",
                "meta-llama/Llama-3.1-8B-Instruct",
                "sim-classifier-2025-01-01",
                "latest-news-classifier-v3"
            })
    void accepts_a_name_that_is_pinned_as_it_is(String model) {
        // when / then
        assertThat(pinning.problemWith(model)).isEmpty();
    }

    @Test
    void every_alias_in_the_shipped_table_is_rejected_and_every_snapshot_accepted() throws Exception {
        // given
        JsonNode aliases;
        try (InputStream table = ModelPinning.class.getResourceAsStream(ModelPinning.ALIAS_TABLE)) {
            aliases = new ObjectMapper(new YAMLFactory()).readTree(table).path("aliases");
        }

        // when / then
        assertThat(aliases.properties()).hasSizeGreaterThanOrEqualTo(17).allSatisfy(entry -> {
            assertThat(pinning.problemWith(entry.getKey())).isPresent();
            assertThat(pinning.problemWith(entry.getValue().asText())).isEmpty();
        });
    }

    @Test
    void the_shipped_table_says_when_it_was_compiled() throws Exception {
        // given
        try (InputStream table = ModelPinning.class.getResourceAsStream(ModelPinning.ALIAS_TABLE)) {
            // when
            String text = new String(table.readAllBytes(), StandardCharsets.UTF_8);

            // then
            assertThat(text.lines().takeWhile(line -> line.startsWith("#")))
                    .anySatisfy(line -> assertThat(line).contains("Compiled 2026-11"));
        }
    }

    @Test
    void a_table_given_in_code_is_used_instead_of_the_shipped_one() {
        // given
        ModelPinning custom = new ModelPinning(Map.of("house-model", "house-model-2026-10-01"));

        // when / then
        assertThat(custom.problemWith("house-model"))
                .contains("'house-model' is a floating alias; pin a dated snapshot such as 'house-model-2026-10-01'");
        assertThat(custom.problemWith("gpt-4o")).isEmpty();
    }
}
