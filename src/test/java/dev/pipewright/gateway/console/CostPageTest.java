package dev.pipewright.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CostPageTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            acme           | acme
            a,b            | `"a,b"`
            a "b" c        | `"a ""b"" c"`
            =HYPERLINK(1)  | '=HYPERLINK(1)
            -1+2           | '-1+2
            """)
    void csv_cells_are_quoted_and_never_read_as_formulas(String value, String cell) {
        assertThat(CostPage.cell(value)).isEqualTo(cell);
    }

    @ParameterizedTest
    @CsvSource({"0.5, ok", "0.8, warn", "0.95, warn", "1.2, over"})
    void a_budget_bar_warns_from_eighty_percent(double ratio, String state) {
        assertThat(CostCharts.budgetBar(ratio, 0)).startsWith("<svg class=\"budget " + state + "\"");
    }
}
