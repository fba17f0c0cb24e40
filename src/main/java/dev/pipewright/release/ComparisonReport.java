package dev.pipewright.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Json;
import dev.pipewright.release.eval.Evaluation;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compares the candidate's outputs with the baseline's over pairs (shadow or replay): exact match of the whole results
 * object, embedding similarity of each text result (when an embedding function is given), agreement on classification
 * results (short texts: at most three words), and the latency and cost of both sides.
 */
public final class ComparisonReport {
    private static final ObjectMapper JSON = Json.mapper();
    private static final int LABEL_WORDS = 3;
    private static final int LABEL_CHARS = 40;

    private ComparisonReport() {}

    public static ObjectNode of(List<Pair> pairs, Optional<Function<String, float[]>> embed) {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("pairs", pairs.size());
        List<Pair> answered = pairs.stream()
                .filter(pair -> pair.candidateOutput().isPresent())
                .toList();
        report.put("candidate_failures", pairs.size() - answered.size());
        int exact = 0;
        double similaritySum = 0;
        int similarityCount = 0;
        int agreements = 0;
        int labels = 0;
        for (Pair pair : answered) {
            JsonNode baseline = parse(pair.baselineOutput());
            JsonNode candidate = parse(pair.candidateOutput().get());
            if (baseline.equals(candidate)) {
                exact++;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = baseline.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode other = candidate.get(field.getKey());
                if (!field.getValue().isTextual() || other == null || !other.isTextual()) {
                    continue;
                }
                String left = field.getValue().textValue();
                String right = other.textValue();
                if (isLabel(left)) {
                    labels++;
                    agreements += normalized(left).equals(normalized(right)) ? 1 : 0;
                }
                if (embed.isPresent()) {
                    similaritySum += Evaluation.cosine(
                            embed.get().apply(left), embed.get().apply(right));
                    similarityCount++;
                }
            }
        }
        report.put("exact_match", answered.isEmpty() ? null : (double) exact / answered.size());
        report.put("embedding_similarity", similarityCount == 0 ? null : similaritySum / similarityCount);
        report.put("classification_agreement", labels == 0 ? null : (double) agreements / labels);
        report.put("classification_pairs", labels);
        report.set("latency_ms", latency(pairs));
        report.set("cost_usd", cost(pairs));
        return report;
    }

    /** The report as lines for a terminal. */
    public static String text(ObjectNode report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "pairs %d, candidate failures %d%n",
                report.get("pairs").asInt(),
                report.get("candidate_failures").asInt()));
        line(text, "exact match", report.get("exact_match"));
        line(text, "embedding similarity", report.get("embedding_similarity"));
        line(text, "classification agreement", report.get("classification_agreement"));
        JsonNode latency = report.get("latency_ms");
        text.append(String.format(
                Locale.ROOT,
                "latency ms      baseline p50 %.0f p95 %.0f | candidate p50 %.0f p95 %.0f | mean delta %+.1f%n",
                latency.get("baseline_p50").asDouble(),
                latency.get("baseline_p95").asDouble(),
                latency.get("candidate_p50").asDouble(),
                latency.get("candidate_p95").asDouble(),
                latency.get("mean_delta").asDouble()));
        JsonNode cost = report.get("cost_usd");
        text.append(String.format(
                Locale.ROOT,
                "cost per run    baseline $%.8f | candidate $%.8f | delta %+.1f%%%n",
                cost.get("baseline_mean").asDouble(),
                cost.get("candidate_mean").asDouble(),
                cost.get("relative_delta").asDouble() * 100));
        return text.toString();
    }

    private static void line(StringBuilder text, String name, JsonNode value) {
        text.append(String.format(
                Locale.ROOT,
                "%-25s %s%n",
                name,
                value == null || value.isNull() ? "n/a" : String.format(Locale.ROOT, "%.3f", value.asDouble())));
    }

    private static ObjectNode latency(List<Pair> pairs) {
        double[] baseline = pairs.stream().mapToDouble(Pair::baselineLatencyMs).toArray();
        double[] candidate =
                pairs.stream().mapToDouble(Pair::candidateLatencyMs).toArray();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("baseline_p50", pairs.isEmpty() ? 0 : Statistics.percentile(baseline, 0.5));
        json.put("baseline_p95", pairs.isEmpty() ? 0 : Statistics.percentile(baseline, 0.95));
        json.put("candidate_p50", pairs.isEmpty() ? 0 : Statistics.percentile(candidate, 0.5));
        json.put("candidate_p95", pairs.isEmpty() ? 0 : Statistics.percentile(candidate, 0.95));
        json.put("mean_delta", Statistics.mean(candidate) - Statistics.mean(baseline));
        return json;
    }

    private static ObjectNode cost(List<Pair> pairs) {
        double baseline = Statistics.mean(
                pairs.stream().mapToDouble(Pair::baselineCostUsd).toArray());
        double candidate = Statistics.mean(
                pairs.stream().mapToDouble(Pair::candidateCostUsd).toArray());
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("baseline_mean", baseline);
        json.put("candidate_mean", candidate);
        json.put("relative_delta", baseline == 0 ? 0 : (candidate - baseline) / baseline);
        return json;
    }

    private static boolean isLabel(String text) {
        String stripped = text.strip();
        return !stripped.isEmpty() && stripped.length() <= LABEL_CHARS && stripped.split("\\s+").length <= LABEL_WORDS;
    }

    private static String normalized(String text) {
        String label = text.strip().toLowerCase(Locale.ROOT);
        while (label.endsWith(".")) {
            label = label.substring(0, label.length() - 1).strip();
        }
        return label;
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node == null ? JsonNodeFactory.instance.objectNode() : node;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
