package dev.pipewright.gateway.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.config.CandidateConfig;
import dev.pipewright.config.DeploymentConfig;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.PipewrightConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.gateway.TenantLimits;
import dev.pipewright.model.Json;
import dev.pipewright.pipeline.PipelineFailedException;
import dev.pipewright.pipeline.PipelineInputException;
import dev.pipewright.pipeline.PipelineResult;
import dev.pipewright.pipeline.PipelineResultJson;
import dev.pipewright.pipeline.PipelineVersion;
import dev.pipewright.pipeline.RunContext;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipelines: each one's DAG with its pinned models and fallbacks, its version and the deployments that target it,
 * and a form that runs it (as the viewer's tenant, through the same executor as {@code POST /v1/pipelines/{name}})
 * and shows the result's per-step timeline.
 */
final class PipelinePages {
    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern INPUT_FIELD = Pattern.compile("\\{\\{\\s*input\\.([A-Za-z0-9_]+)");

    private final ConsoleSources sources;
    private final Templates templates;

    PipelinePages(ConsoleSources sources, Templates templates) {
        this.sources = sources;
        this.templates = templates;
    }

    Reply list(ServerRequest request, Viewer viewer, Form form) {
        Map<String, Object> scope = Console.layout(viewer, "pipelines", "Pipelines", sources);
        PipewrightConfig config = sources.config().get();
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (PipelineConfig pipeline : config.pipelines().values()) {
            pipelines.add(card(config, pipeline));
        }
        scope.put("pipelines", pipelines);
        return Reply.ok(templates.render("pipelines", scope));
    }

    Reply show(ServerRequest request, Viewer viewer, Form form) {
        PipelineConfig pipeline = pipeline(request);
        Map<String, Object> scope = Console.layout(viewer, "pipelines", "Pipeline " + pipeline.name(), sources);
        scope.put("pipeline", card(sources.config().get(), pipeline));
        scope.put("inputJson", sampleInput(pipeline));
        scope.put("versions", versions(pipeline.name(), ""));
        return Reply.ok(templates.render("pipeline", scope));
    }

    Reply run(ServerRequest request, Viewer viewer, Form form) {
        PipelineConfig pipeline = pipeline(request);
        PipewrightConfig config = sources.config().get();
        Map<String, Object> scope = Console.layout(viewer, "pipelines", "Pipeline " + pipeline.name(), sources);
        scope.put("pipeline", card(config, pipeline));
        String inputText = form.get("input").orElse("{}");
        scope.put("inputJson", inputText);
        String variant = form.get("variant").orElse("");
        scope.put("versions", versions(pipeline.name(), variant));
        PipelineConfig chosen = variant.isEmpty() ? pipeline : candidate(config, pipeline.name(), variant);
        JsonNode input;
        try {
            input = JSON.readTree(inputText);
        } catch (JsonProcessingException e) {
            scope.put("runProblem", "The input is not JSON: " + e.getOriginalMessage());
            return new Reply.Page(400, templates.render("pipeline", scope));
        }
        if (input == null || !input.isObject()) {
            scope.put("runProblem", "The input must be a JSON object such as {\"text\": \"...\"}.");
            return new Reply.Page(400, templates.render("pipeline", scope));
        }
        String requestId = "console-" + UUID.randomUUID();
        try {
            PipelineResult result = runWithinLimits(viewer, chosen, variant, input, inputText, requestId);
            ObjectNode json = PipelineResultJson.toJson(result, PipelineVersion.of(chosen, config::model));
            List<StepTimeline.Step> steps = StepTimeline.steps(json, Optional.of(chosen));
            scope.put(
                    "result",
                    Map.of(
                            "requestId", requestId,
                            "latency", result.latency().toMillis() + " ms",
                            "cost", "$" + StepTimeline.plain(json.path("cost_usd")),
                            "degraded", result.isDegraded(),
                            "models", String.join(", ", result.modelsUsed()),
                            "timeline", StepTimeline.svg(steps),
                            "steps", StepTimeline.rows(steps),
                            "hasSteps", !steps.isEmpty(),
                            "results", json.path("results").toPrettyString()));
            return Reply.ok(templates.render("pipeline", scope));
        } catch (TenantLimits.LimitReachedException e) {
            scope.put("runProblem", "Not run: " + e.getMessage() + ".");
            return new Reply.Page(429, templates.render("pipeline", scope));
        } catch (PipelineInputException e) {
            scope.put("runProblem", e.getMessage());
            return new Reply.Page(400, templates.render("pipeline", scope));
        } catch (PipelineFailedException e) {
            scope.put("runProblem", "The run failed: " + e.getMessage());
            return new Reply.Page(502, templates.render("pipeline", scope));
        }
    }

    /**
     * Runs {@code pipeline} for the viewer's tenant as one request within its rate limits, as the API would, and
     * settles the tokens the run used.
     *
     * @throws TenantLimits.LimitReachedException without running, when a limit is reached
     */
    private PipelineResult runWithinLimits(
            Viewer viewer,
            PipelineConfig pipeline,
            String variant,
            JsonNode input,
            String inputText,
            String requestId) {
        // A quarter of the input's bytes, as the API estimates a request's tokens before the call.
        long estimatedTokens = (inputText.getBytes(StandardCharsets.UTF_8).length + 3) / 4;
        TenantLimits.Permit permit = sources.limits().admit(viewer.tenant(), viewer.master(), estimatedTokens);
        long usedTokens = 0;
        try {
            PipelineResult result = sources.executor()
                    .run(
                            pipeline,
                            input,
                            RunContext.of(requestId, viewer.tenant()).withVariant(variant));
            usedTokens = result.usage().totalTokens();
            return result;
        } catch (PipelineFailedException e) {
            usedTokens = e.partial().usage().totalTokens();
            throw e;
        } finally {
            permit.settle(usedTokens);
        }
    }

    private PipelineConfig pipeline(ServerRequest request) {
        String name = request.path().pathParameters().get("name");
        PipelineConfig pipeline = sources.config().get().pipelines().get(name);
        if (pipeline == null) {
            throw new IllegalArgumentException("There is no pipeline named " + name + ".");
        }
        return pipeline;
    }

    /** The stable version and every deployment candidate of the pipeline, for the run form's choice. */
    private List<Map<String, Object>> versions(String pipeline, String selected) {
        List<Map<String, Object>> versions = new ArrayList<>();
        versions.add(Map.of("value", "", "label", "stable", "selected", selected.isEmpty()));
        DeploymentConfig deployment = sources.config().get().deployments().get(pipeline);
        if (deployment != null) {
            deployment
                    .candidates()
                    .keySet()
                    .forEach(name -> versions.add(
                            Map.of("value", name, "label", "candidate " + name, "selected", name.equals(selected))));
        }
        return versions;
    }

    private static PipelineConfig candidate(PipewrightConfig config, String pipeline, String variant) {
        DeploymentConfig deployment = config.deployments().get(pipeline);
        CandidateConfig candidate =
                deployment == null ? null : deployment.candidates().get(variant);
        if (candidate == null) {
            throw new IllegalArgumentException("Pipeline " + pipeline + " has no candidate named " + variant + ".");
        }
        return candidate.pipeline();
    }

    private Map<String, Object> card(PipewrightConfig config, PipelineConfig pipeline) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("name", pipeline.name());
        card.put("href", Console.PATH + "/pipelines/" + JobPages.encode(pipeline.name()));
        card.put("version", PipelineVersion.of(pipeline, config::model));
        card.put("deadline", pipeline.deadline().toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        card.put("graph", PipelineGraph.svg(pipeline, config::model));
        card.put(
                "stepCount",
                pipeline.steps().size() == 1 ? "1 step" : pipeline.steps().size() + " steps");
        List<Map<String, Object>> variants = variants(pipeline.name());
        card.put("variants", variants);
        card.put("hasVariants", !variants.isEmpty());
        return card;
    }

    /** The deployments whose target is this pipeline, with their stable and candidate versions. */
    private List<Map<String, Object>> variants(String pipeline) {
        List<Map<String, Object>> variants = new ArrayList<>();
        sources.views().deployments().ifPresent(deployments -> {
            for (JsonNode summary : deployments.list().path("deployments")) {
                if (!pipeline.equals(summary.path("target").asText())) {
                    continue;
                }
                List<String> candidates = new ArrayList<>();
                for (JsonNode candidate : summary.path("candidates")) {
                    candidates.add(candidate.path("name").asText("") + " "
                            + candidate.path("version").asText() + " @ "
                            + DeploymentPages.weight(candidate.path("weight")));
                }
                variants.add(Map.of(
                        "name", summary.path("name").asText(),
                        "href",
                                Console.PATH + "/deployments/"
                                        + JobPages.encode(summary.path("name").asText()),
                        "state", summary.path("state").asText(""),
                        "stable", summary.path("stable").path("version").asText("—"),
                        "candidates", String.join(", ", candidates)));
            }
        });
        return variants;
    }

    /** An input object with every {@code input.X} the steps' templates use, for the run form to start from. */
    static String sampleInput(PipelineConfig pipeline) {
        Set<String> fields = new LinkedHashSet<>();
        for (StepConfig step : pipeline.steps()) {
            for (Optional<String> text : List.of(step.prompt(), step.input(), step.system())) {
                text.ifPresent(template -> {
                    Matcher matcher = INPUT_FIELD.matcher(template);
                    while (matcher.find()) {
                        fields.add(matcher.group(1));
                    }
                });
            }
        }
        ObjectNode sample = JSON.createObjectNode();
        fields.stream()
                .filter(field -> !field.equals("image"))
                .forEach(field -> sample.put(field, "Quarterly revenue grew 12% on cloud contracts."));
        return sample.toPrettyString();
    }
}
