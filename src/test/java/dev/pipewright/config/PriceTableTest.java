package dev.pipewright.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PriceTableTest {
    private static final String OPENAI = "providers:\n  openai: {kind: openai, api_key_env: OPENAI_API_KEY}\n";

    @Test
    void the_shipped_table_is_dated_and_prices_the_pinned_snapshots_of_the_alias_table() {
        // given
        PriceTable table = PriceTable.shipped();

        // then
        assertThat(LocalDate.parse(table.asOf())).isBefore(LocalDate.of(2100, 1, 1));
        Price gpt4o = table.priceOf("GPT-4o-2024-11-20").orElseThrow();
        assertThat(gpt4o.inputPerMtok()).isEqualByComparingTo("2.50");
        assertThat(gpt4o.outputPerMtok()).isEqualByComparingTo("10.00");
        assertThat(gpt4o.cachedInputPerMtok().orElseThrow()).isEqualByComparingTo("1.25");
        assertThat(gpt4o.perImage()).isEmpty();
        assertThat(table.priceOf("claude-sonnet-4-5-20250929").orElseThrow().outputPerMtok())
                .isEqualByComparingTo("15");
        assertThat(table.prices()).hasSizeGreaterThan(25);
    }

    @Test
    void a_model_alias_without_a_price_takes_the_shipped_price_of_its_pinned_model() {
        // when
        PipewrightConfig config = ConfigLoader.parse(
                OPENAI + "models:\n  chat: {provider: openai, model: gpt-4o-mini-2024-07-18}\n", "t.yaml");

        // then
        assertThat(config.model("chat").price()).isEqualTo(PriceTable.shipped().priceOf("gpt-4o-mini-2024-07-18"));
    }

    @Test
    void a_price_in_the_configuration_wins_over_the_shipped_table() {
        // when
        PipewrightConfig config = ConfigLoader.parse(
                OPENAI + "models:\n  chat: {provider: openai, model: gpt-4o-mini-2024-07-18,"
                        + " price: {input_per_mtok: 0.10, output_per_mtok: 0.50, per_image: 0.002}}\n",
                "t.yaml");

        // then
        Price price = config.model("chat").price().orElseThrow();
        assertThat(price.inputPerMtok()).isEqualByComparingTo("0.10");
        assertThat(price.cachedInputPerMtok()).isEmpty();
        assertThat(price.perImage()).contains(new BigDecimal("0.002"));
    }
}
