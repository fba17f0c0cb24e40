package dev.pipewright.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CostLedger} does: stores rows and sums them exactly per any grouping, within a period. */
abstract class CostLedgerContract {
    static final Instant DAY_ONE = Instant.parse("2026-11-01T10:00:00Z");
    static final Instant DAY_TWO = Instant.parse("2026-11-02T23:59:59.999Z");
    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

    protected abstract CostLedger ledger();

    static LedgerEntry entry(
            Instant at, String tenant, String pipeline, String provider, String model, String variant, String cost) {
        return new LedgerEntry(
                at,
                tenant,
                pipeline,
                "step",
                provider,
                model,
                model + "-2025",
                variant,
                100,
                10,
                0,
                new BigDecimal(cost),
                false,
                "req",
                Map.of("team", "search"));
    }

    private void given() {
        ledger().append(List.of(
                entry(DAY_ONE, "acme", "analyze", "openai", "gpt", "", "0.000000000001"),
                entry(DAY_ONE, "acme", "analyze", "anthropic", "claude", "v2", "0.123456789012"),
                entry(DAY_TWO, "acme", "triage", "openai", "gpt", "", "1.1"),
                entry(DAY_TWO, "globex", "analyze", "openai", "gpt", "v2", "2.000000000009")));
        // outside the period
        ledger().append(List.of(entry(TO, "acme", "analyze", "openai", "gpt", "", "100")));
    }

    private CostReport report(Optional<String> tenant, Dimension... dimensions) {
        return ledger().report(new CostQuery(FROM, TO, List.of(dimensions), tenant));
    }

    @Test
    void sums_every_row_of_the_period_exactly_to_the_pico_dollar() {
        // given
        given();

        // when
        CostReport report = report(Optional.empty());

        // then
        assertThat(report.rows()).singleElement().satisfies(row -> {
            assertThat(row.calls()).isEqualTo(4);
            assertThat(row.inputTokens()).isEqualTo(400);
            assertThat(row.outputTokens()).isEqualTo(40);
            assertThat(row.costUsd()).isEqualByComparingTo("3.223456789022");
        });
        assertThat(report.totalUsd()).isEqualByComparingTo("3.223456789022");
    }

    @Test
    void groups_by_tenant_pipeline_provider_model_variant_and_day() {
        // given
        given();

        // then
        assertThat(costs(report(Optional.empty(), Dimension.TENANT)))
                .containsExactly("acme=1.223456789013", "globex=2.000000000009");
        assertThat(costs(report(Optional.empty(), Dimension.PIPELINE)))
                .containsExactly("analyze=2.123456789022", "triage=1.10");
        assertThat(costs(report(Optional.empty(), Dimension.PROVIDER)))
                .containsExactly("anthropic=0.123456789012", "openai=3.10000000001");
        assertThat(costs(report(Optional.empty(), Dimension.MODEL)))
                .containsExactly("claude=0.123456789012", "gpt=3.10000000001");
        assertThat(costs(report(Optional.empty(), Dimension.VARIANT)))
                .containsExactly("=1.100000000001", "v2=2.123456789021");
        assertThat(costs(report(Optional.empty(), Dimension.DAY)))
                .containsExactly("2026-11-01=0.123456789013", "2026-11-02=3.100000000009");
        assertThat(costs(report(Optional.empty(), Dimension.STEP))).containsExactly("step=3.223456789022");
        assertThat(costs(report(Optional.empty(), Dimension.TENANT, Dimension.PIPELINE)))
                .containsExactly("acme/analyze=0.123456789013", "acme/triage=1.10", "globex/analyze=2.000000000009");
    }

    @Test
    void a_tenant_filter_sums_only_that_tenants_rows() {
        // given
        given();

        // when
        CostReport report = report(Optional.of("globex"), Dimension.TENANT);

        // then
        assertThat(costs(report)).containsExactly("globex=2.000000000009");
        assertThat(report.totalUsd()).isEqualByComparingTo("2.000000000009");
    }

    @Test
    void an_empty_ledger_reports_no_rows_and_zero() {
        // when
        CostReport report = report(Optional.empty(), Dimension.MODEL);

        // then
        assertThat(report.rows()).isEmpty();
        assertThat(report.totalUsd()).isZero();
    }

    private static List<String> costs(CostReport report) {
        return report.rows().stream()
                .map(row -> String.join(
                                "/",
                                report.query().groupBy().stream()
                                        .map(row.dimensions()::get)
                                        .toList())
                        + "=" + row.costUsd().toPlainString())
                .toList();
    }
}
