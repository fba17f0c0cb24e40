package dev.pipewright.release.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pipewright.config.EvalThresholds;
import dev.pipewright.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Scores a version of a pipeline on a dataset. Each item runs once; each scorer applies to the items that carry what it
 * needs and scores 0 or 1 (embedding similarity and the judge: a number in [0, 1]); a run that fails scores 0 on every
 * scorer that applies. Scorers: exact match, contains, JSON schema valid, label accuracy, embedding similarity to the
 * reference (cosine, negative counted as 0), and an optional judge model.
 */
public final class Evaluation {
    static final List<String> SCORER_ORDER = EvalThresholds.SCORERS;
    private static final ObjectMapper JSON = Json.mapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /** A judge model: how well {@code answer} serves {@code input} (and matches {@code reference}), from 0 to 1. */
    @FunctionalInterface
    public interface Judge {
        double score(JsonNode input, String answer, Optional<String> reference);
    }

    private final Function<JsonNode, JsonNode> run;
    private final Optional<Function<String, float[]>> embed;
    private final Optional<Judge> judge;

    /**
     * @param run runs the version on an input and returns its results object; throws when the run fails
     * @param embed the embedding function for embedding similarity (none: that scorer is skipped)
     * @param judge the judge model (none: no judge scores)
     */
    public Evaluation(
            Function<JsonNode, JsonNode> run, Optional<Function<String, float[]>> embed, Optional<Judge> judge) {
        this.run = run;
        this.embed = embed;
        this.judge = judge;
    }

    public EvalReport evaluate(List<EvalItem> items, EvalThresholds thresholds) {
        Map<String, double[]> sums = new HashMap<>();
        int failed = 0;
        for (EvalItem item : items) {
            Optional<String> answer = answer(item);
            if (answer.isEmpty()) {
                failed++;
            }
            score(item, answer).forEach((scorer, value) -> {
                double[] sum = sums.computeIfAbsent(scorer, ignored -> new double[2]);
                sum[0] += value;
                sum[1] += 1;
            });
        }
        Map<String, EvalReport.Score> scores = new LinkedHashMap<>();
        sums.forEach((scorer, sum) -> scores.put(scorer, new EvalReport.Score(sum[0] / sum[1], (int) sum[1])));
        List<EvalReport.Verdict> verdicts = new ArrayList<>();
        thresholds.minimums().forEach((scorer, minimum) -> {
            EvalReport.Score score = scores.get(scorer);
            verdicts.add(new EvalReport.Verdict(
                    scorer, score == null ? OptionalDouble.empty() : OptionalDouble.of(score.mean()), minimum));
        });
        return new EvalReport(items.size(), failed, scores, verdicts);
    }

    private Optional<String> answer(EvalItem item) {
        try {
            JsonNode results = run.apply(item.input());
            String key = item.output()
                    .orElseGet(() -> results.fieldNames().hasNext()
                            ? results.fieldNames().next()
                            : "");
            JsonNode value = results.get(key);
            if (value == null) {
                throw new IllegalArgumentException("line " + item.line() + ": the results have no key '" + key + "'");
            }
            return Optional.of(value.isTextual() ? value.textValue() : value.toString());
        } catch (IllegalArgumentException badOutputKey) {
            throw badOutputKey;
        } catch (RuntimeException failedRun) {
            return Optional.empty();
        }
    }

    private Map<String, Double> score(EvalItem item, Optional<String> answer) {
        Map<String, Double> scores = new LinkedHashMap<>();
        String text = answer.orElse(null);
        item.expected()
                .ifPresent(expected -> scores.put(
                        "exact_match", bit(text != null && text.strip().equals(expected.strip()))));
        if (!item.contains().isEmpty()) {
            scores.put(
                    "contains",
                    bit(text != null
                            && item.contains().stream()
                                    .allMatch(part ->
                                            text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)))));
        }
        item.schema().ifPresent(schema -> scores.put("json_schema", bit(text != null && validJson(text, schema))));
        item.label()
                .ifPresent(label -> scores.put(
                        "label_accuracy", bit(text != null && label(text).equals(label(label)))));
        if (item.reference().isPresent() && embed.isPresent()) {
            scores.put(
                    "embedding_similarity",
                    text == null ? 0 : similarity(text, item.reference().get()));
        }
        judge.ifPresent(model ->
                scores.put("judge", text == null ? 0 : clamp(model.score(item.input(), text, item.reference()))));
        return scores;
    }

    private double similarity(String text, String reference) {
        float[] a = embed.get().apply(text);
        float[] b = embed.get().apply(reference);
        return clamp(cosine(a, b));
    }

    /** The cosine of two vectors of the same length; 0 when either is all zeros. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }

    private static boolean validJson(String text, JsonNode schemaNode) {
        try {
            JsonNode value = JSON.readTree(text);
            Schema schema = SCHEMAS.getSchema(schemaNode);
            return value != null && schema.validate(value).isEmpty();
        } catch (IOException notJson) {
            return false;
        }
    }

    static String label(String text) {
        String label = text.strip().toLowerCase(Locale.ROOT);
        while (label.endsWith(".")) {
            label = label.substring(0, label.length() - 1).strip();
        }
        return label;
    }

    private static double bit(boolean value) {
        return value ? 1 : 0;
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
