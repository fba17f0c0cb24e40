package dev.pipewright.cli;

import dev.pipewright.cost.CostPeriod;
import dev.pipewright.cost.CostQuery;
import dev.pipewright.cost.CostReport;
import dev.pipewright.cost.Dimension;
import dev.pipewright.model.Clock;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipewright costs}: the cost ledger of the configured database summed per group, as a table on the terminal
 * or CSV, with the filters of {@code GET /v1/costs}.
 */
@Command(
        name = "costs",
        description = "Sums the cost ledger per tenant, pipeline, step, provider, model, variant or day.")
final class CostsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(
            names = "--from",
            paramLabel = "WHEN",
            description = "A date (2026-11-29) or instant (2026-11-29T10:00:00Z); default: the start of this month.")
    String from;

    @Option(
            names = "--to",
            paramLabel = "WHEN",
            description = "A date (the whole day is included) or instant (excluded); default: now.")
    String to;

    @Option(
            names = "--group-by",
            paramLabel = "DIMS",
            defaultValue = "",
            description = "Comma-separated: tenant, pipeline, step, provider, model, variant, day.")
    String groupBy;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's calls.")
    String tenant;

    @Option(names = "--csv", description = "CSV with a header line instead of a table.")
    boolean csv;

    @Override
    public Integer call() {
        CostQuery query;
        try {
            Instant now = Clock.system().instant();
            List<Dimension> dimensions = new ArrayList<>();
            for (String part : groupBy.split(",")) {
                if (!part.isBlank()) {
                    dimensions.add(Dimension.of(part.strip()));
                }
            }
            query = new CostQuery(
                    CostPeriod.from(from, now), CostPeriod.to(to, now), dimensions, Optional.ofNullable(tenant));
        } catch (IllegalArgumentException invalid) {
            throw new ParameterException(spec.commandLine(), invalid.getMessage());
        }
        try (CostBackend costs = CostBackend.open(config.load(), Clock.system())) {
            CostReport report = costs.ledger().report(query);
            PrintWriter out = spec.commandLine().getOut();
            if (csv) {
                printCsv(out, report);
            } else {
                printTable(out, report);
            }
            out.flush();
        }
        return 0;
    }

    static void printCsv(PrintWriter out, CostReport report) {
        out.println(String.join(",", header(report)));
        for (List<String> row : cells(report)) {
            out.println(String.join(",", row.stream().map(CostsCommand::csvCell).toList()));
        }
    }

    static void printTable(PrintWriter out, CostReport report) {
        List<String> header = header(report);
        List<List<String>> rows = cells(report);
        List<String> total = new ArrayList<>();
        for (int i = 0; i < header.size() - 1; i++) {
            total.add(i == 0 ? "total" : "");
        }
        total.add(report.totalUsd().toPlainString());
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, rows, total)) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        int dimensions = report.query().groupBy().size();
        out.println(line(header, widths, dimensions));
        rows.forEach(row -> out.println(line(row, widths, dimensions)));
        out.println(line(total, widths, dimensions));
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows, List<String> total) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        all.add(total);
        return all;
    }

    /** Dimensions left-aligned, numbers right-aligned. */
    private static String line(List<String> row, int[] widths, int dimensions) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            String padding = " ".repeat(widths[i] - cell.length());
            text.append(i < dimensions ? cell + padding : padding + cell);
            if (i < row.size() - 1) {
                text.append("  ");
            }
        }
        return text.toString().stripTrailing();
    }

    private static List<String> header(CostReport report) {
        List<String> header = new ArrayList<>();
        report.query().groupBy().forEach(d -> header.add(d.key()));
        header.addAll(List.of("calls", "input_tokens", "output_tokens", "cost_usd"));
        return header;
    }

    private static List<List<String>> cells(CostReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (CostReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>();
            report.query().groupBy().forEach(d -> cells.add(row.dimensions().get(d)));
            cells.add(Long.toString(row.calls()));
            cells.add(Long.toString(row.inputTokens()));
            cells.add(Long.toString(row.outputTokens()));
            cells.add(row.costUsd().toPlainString());
            rows.add(cells);
        }
        return rows;
    }

    private static String csvCell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
