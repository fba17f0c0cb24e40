package dev.pipewright.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void the_same_semantic_input_written_differently_is_the_same_key() throws Exception {
        // when
        CacheKey first = CacheKey.of("acme", false, "model:chat", json("{\"b\": [1.0, true], \"a\": \"x\"}"));
        CacheKey second = CacheKey.of("acme", false, "model:chat", json("{ \"a\":\"x\",\"b\":[1, true] }"));

        // then
        assertThat(first).isEqualTo(second);
        assertThat(first.id()).isEqualTo(second.id());
    }

    @Test
    void tenants_get_different_keys_unless_the_cache_is_shared() throws Exception {
        // given
        JsonNode input = json("{\"text\": \"hi\"}");

        // when / then
        assertThat(CacheKey.of("acme", false, "model:chat", input).id())
                .isNotEqualTo(CacheKey.of("globex", false, "model:chat", input).id());
        assertThat(CacheKey.of("acme", true, "model:chat", input).id())
                .isEqualTo(CacheKey.of("globex", true, "model:chat", input).id());
    }

    @Test
    void another_pipeline_version_is_another_key() throws Exception {
        // given
        JsonNode input = json("{\"text\": \"hi\"}");

        // when / then
        assertThat(CacheKey.of("acme", false, CacheKey.pipelineTarget("p", "sha256:aa"), input))
                .isNotEqualTo(CacheKey.of("acme", false, CacheKey.pipelineTarget("p", "sha256:bb"), input));
    }

    @Test
    void the_id_names_the_scope_in_clear() throws Exception {
        assertThat(CacheKey.of("acme", false, "model:chat", json("{}")).id()).startsWith("tenant:acme|");
    }
}
