package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.chatModel;
import static dev.pipewright.pipeline.Fixtures.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.ModelConfig;
import dev.pipewright.config.PipelineConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PipelineVersionTest {

    @Test
    void a_pipeline_record_is_fingerprinted_once_however_many_results_name_its_version() {
        // given
        AtomicInteger lookups = new AtomicInteger();
        Function<String, ModelConfig> models = alias -> {
            lookups.incrementAndGet();
            return chatModel(alias);
        };
        PipelineConfig pipeline = pipeline(chat("answer", "chat", "Answer: {{input.text}}"));

        // when
        String first = PipelineVersion.of(pipeline, models);
        int lookupsForFirst = lookups.get();
        String second = PipelineVersion.of(pipeline, models);

        // then
        assertThat(second).isEqualTo(first).startsWith("sha256:");
        assertThat(lookups).hasValue(lookupsForFirst);
    }

    @Test
    void another_prompt_is_another_version() {
        // when
        String one = PipelineVersion.of(pipeline(chat("answer", "chat", "One: {{input.text}}")), Fixtures::chatModel);
        String two = PipelineVersion.of(pipeline(chat("answer", "chat", "Two: {{input.text}}")), Fixtures::chatModel);

        // then
        assertThat(one).isNotEqualTo(two);
    }
}
