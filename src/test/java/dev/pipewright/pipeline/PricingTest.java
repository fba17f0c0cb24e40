package dev.pipewright.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.Price;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PricingTest {

    @ParameterizedTest(name = "{0} in ({2} cached), {1} out at {3}/{4}/{5} costs {6}")
    @CsvSource({
        "1000000, 0,       0,      3.00, 15.00, ,     3.00",
        "0,       1000000, 0,      3.00, 15.00, ,     15.00",
        "1000,    200,     400,    3.00, 15.00, 0.30, 0.00492",
        "1000,    200,     400,    3.00, 15.00, ,     0.006",
        "10,      0,       50,     3.00, 15.00, 0.30, 0.000003",
        "5,       0,       0,      0.02, 0,     ,     0.0000001",
    })
    void costs_tokens_at_the_models_price(
            long input, long output, long cached, String in, String out, String cachedRate, String expected) {
        // given
        Price price = new Price(
                new BigDecimal(in),
                new BigDecimal(out),
                Optional.ofNullable(cachedRate).map(BigDecimal::new));

        // when
        BigDecimal cost = Pricing.cost(new Usage(input, output, cached), Optional.of(price));

        // then
        assertThat(cost).isEqualByComparingTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1000, 1000"})
    void a_model_without_a_price_costs_nothing(long input, long output) {
        assertThat(Pricing.cost(new Usage(input, output, 0), Optional.empty())).isZero();
    }
}
