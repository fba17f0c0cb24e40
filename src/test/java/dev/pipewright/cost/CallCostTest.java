package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.config.Price;
import dev.pipewright.model.Usage;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallCostTest {

    @ParameterizedTest(name = "{0} in ({1} cached), {2} out, {3} images at {4}/{5}/{6}/{7} costs {8}")
    @CsvSource({
        // input, cached, output, images, in/Mtok, out/Mtok, cached/Mtok, per image, exact cost
        "1000000, 0,    0,       0, 3.00,  15.00, ,      ,       3",
        "0,       0,    1000000, 0, 3.00,  15.00, ,      ,       15",
        "1,       0,    0,       0, 3.00,  15.00, ,      ,       0.000003",
        "0,       0,    1,       0, 0.15,  0.60,  ,      ,       0.0000006",
        "1000,    400,  200,     0, 3.00,  15.00, 0.30,  ,       0.00492",
        "1000,    400,  200,     0, 3.00,  15.00, ,      ,       0.006",
        "1234,    0,    567,     0, 2.50,  10.00, 1.25,  ,       0.008755",
        "1234,    1000, 567,     0, 2.50,  10.00, 1.25,  ,       0.007505",
        "100,     500,  0,       0, 1.00,  5.00,  0.10,  ,       0.00001",
        "7,       0,    3,       0, 0.025, 0.40,  ,      ,       0.000001375",
        "9,       0,    0,       0, 0.005, 0.40,  ,      ,       0.000000045",
        "1,       0,    1,       0, 0.000001, 0.000001, , ,      0.000000000002",
        "10,      0,    10,      2, 1.00,  2.00,  ,      0.00765, 0.01533",
        "0,       0,    0,       3, 0,     0,     ,      0.04,   0.12",
        "123456789, 0,  98765432, 0, 15.00, 75.00, 1.50, ,       9259.259235",
    })
    void costs_tokens_and_images_exactly_at_the_models_price(
            long input,
            long cached,
            long output,
            long images,
            String in,
            String out,
            String cachedRate,
            String imageRate,
            String expected) {
        // given
        Price price = new Price(
                new BigDecimal(in),
                new BigDecimal(out),
                Optional.ofNullable(cachedRate).map(BigDecimal::new),
                Optional.ofNullable(imageRate).map(BigDecimal::new));

        // when
        BigDecimal cost = CostInterceptor.costOf(new Usage(input, output, cached), Optional.of(price), images);

        // then
        assertThat(cost).isEqualByComparingTo(expected);
        assertThat(Money.usd(Money.picos(cost))).isEqualByComparingTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1000, 1000"})
    void a_model_without_a_price_costs_nothing(long input, long output) {
        assertThat(CostInterceptor.costOf(new Usage(input, output, 0), Optional.empty(), 1))
                .isZero();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0000001 | input_per_mtok may have at most 6 decimal places, but was 0.0000001",
                "-1        | input_per_mtok must not be negative, but was -1",
            })
    void a_price_that_would_not_be_whole_pico_dollars_is_refused(String input, String message) {
        assertThatThrownBy(() -> new Price(new BigDecimal(input), BigDecimal.ONE, Optional.empty()))
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"0.000000000001, 1", "0.5, 500000000000", "12.34, 12340000000000"})
    void money_is_kept_as_whole_pico_dollars(String usd, long picos) {
        assertThat(Money.picos(new BigDecimal(usd))).isEqualTo(picos);
        assertThat(Money.usd(picos)).isEqualByComparingTo(usd);
    }
}
