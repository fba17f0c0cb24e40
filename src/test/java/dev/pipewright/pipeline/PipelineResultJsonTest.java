package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.embed;
import static dev.pipewright.pipeline.Fixtures.optional;
import static dev.pipewright.pipeline.Fixtures.pipeline;
import static dev.pipewright.pipeline.ScriptedModelClient.failure;
import static dev.pipewright.pipeline.ScriptedModelClient.text;
import static dev.pipewright.pipeline.ScriptedModelClient.vector;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.ModelType;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.Price;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineResultJsonTest {

    @Test
    void writes_the_public_contract_of_a_run() {
        // given
        Harness harness = new Harness();
        Price price = new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), Optional.empty());
        harness.model(Fixtures.model("classifier", ModelType.CHAT, Optional.of(price)), (request, options) -> {
            harness.clock.advance(Duration.ofMillis(120));
            return text("legal", new Usage(100, 10, 0)).answer(request, options);
        });
        harness.model(Fixtures.model("embedder", ModelType.EMBEDDING, Optional.empty()), vector(0.25f));
        harness.chatModel("vision", failure(new ModelError.Timeout("no answer in 10s")));
        PipelineConfig pipeline = pipeline(
                List.of(
                        chat("classify", "classifier", "x"),
                        embed("embedding", "embedder", "y"),
                        optional(chat("vision", "vision", "z"))),
                Fixtures.output("classification", "classify", "embedding", "embedding", "vision", "vision"));
        PipelineResult result = harness.run(pipeline, "{}");

        // when
        JsonNode json = Harness.json(PipelineResultJson.write(result, "1"));

        // then
        assertThat(json.get("request_id").asText()).isEqualTo("req-1");
        assertThat(json.get("pipeline").asText()).isEqualTo("analyze");
        assertThat(json.get("version").asText()).isEqualTo("1");
        assertThat(json.get("results").toString())
                .isEqualTo("{\"classification\":\"legal\",\"embedding\":[0.25],\"vision\":null}");
        assertThat(json.get("latency_ms").asLong()).isEqualTo(120);
        assertThat(json.get("models_used").toString()).isEqualTo("[\"classifier\",\"embedder\"]");
        assertThat(json.get("usage").toString())
                .isEqualTo("{\"input_tokens\":103,\"output_tokens\":10,\"cached_input_tokens\":0}");
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0.00045");
        assertThat(json.get("degraded").toString())
                .isEqualTo("[{\"step\":\"vision\",\"reason\":\"timeout: no answer in 10s\"}]");
        JsonNode classify = json.get("steps").get("classify");
        assertThat(classify.get("status").asText()).isEqualTo("succeeded");
        assertThat(classify.get("model").asText()).isEqualTo("classifier");
        assertThat(classify.get("provider_model").asText()).isEqualTo("classifier-v1");
        assertThat(classify.get("latency_ms").asLong()).isEqualTo(120);
        assertThat(classify.get("attempts").toString())
                .isEqualTo(
                        "[{\"model\":\"classifier\",\"number\":1,\"waited_ms\":0,\"latency_ms\":120,\"error\":null}]");
        JsonNode vision = json.get("steps").get("vision");
        assertThat(vision.get("status").asText()).isEqualTo("degraded");
        assertThat(vision.get("model").isNull()).isTrue();
        assertThat(vision.get("attempts").get(0).get("error").asText()).isEqualTo("timeout: no answer in 10s");
        assertThat(vision.get("reason").asText()).isEqualTo("timeout: no answer in 10s");
        assertThat(json.get("steps").fieldNames()).toIterable().containsExactly("classify", "embedding", "vision");
    }

    @Test
    void writes_tiny_costs_as_plain_decimals() {
        // given
        PipelineResult result = new PipelineResult(
                "r", "p", Map.of(), Map.of(), Duration.ZERO, List.of(), Usage.NONE, new BigDecimal("2E-8"), List.of());

        // when
        String json = PipelineResultJson.write(result, "1");

        // then
        assertThat(json).contains("\"cost_usd\":0.00000002");
    }
}
