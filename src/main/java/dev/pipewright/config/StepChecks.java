package dev.pipewright.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the steps of one pipeline against each other and against the models: each step's model exists and suits the
 * step (a chat step has a prompt, an embedding step an input), {@code needs} name other steps and form no cycle, and a
 * text that uses {@code steps.X} can only run after X, because X is among the steps it needs, directly or not.
 */
final class StepChecks {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern STEP_REFERENCE = Pattern.compile("(?<![\\w.])steps\\.([A-Za-z_][A-Za-z0-9_-]*)");
    private static final List<String> TEMPLATES = List.of("system", "prompt", "input", "image");
    private static final List<String> CHAT_ONLY = List.of("prompt", "image", "system", "max_tokens", "temperature");

    private final Map<String, ModelConfig> models;
    private final Set<String> declaredModels;

    StepChecks(Map<String, ModelConfig> models, Set<String> declaredModels) {
        this.models = models;
        this.declaredModels = declaredModels;
    }

    void check(ConfigNode stepsNode, List<StepConfig> steps) {
        Set<String> declared = stepsNode.keys();
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (StepConfig step : steps) {
            ConfigNode node = stepsNode.get(step.name());
            checkModel(step, node);
            checkNeeds(step.name(), node.get("needs"), declared);
            edges.put(
                    step.name(),
                    step.needs().stream()
                            .filter(need -> !need.equals(step.name()))
                            .toList());
        }
        for (List<String> cycle : Cycles.in(edges)) {
            stepsNode.get(cycle.getFirst()).get("needs").problem("needs form a cycle: " + Cycles.describe(cycle));
        }
        for (StepConfig step : steps) {
            checkReferences(step, stepsNode.get(step.name()), declared, upstreamOf(step.name(), edges));
        }
    }

    private void checkModel(StepConfig step, ConfigNode node) {
        if (!declaredModels.contains(step.model())) {
            node.get("model").problem("unknown model '" + step.model() + "'");
            return;
        }
        ModelConfig model = models.get(step.model());
        if (model == null) {
            return;
        }
        switch (model.type()) {
            case CHAT -> {
                if (step.prompt().isEmpty()) {
                    node.get("prompt").problem("required for a step on chat model '" + model.alias() + "'");
                }
                if (step.input().isPresent()) {
                    node.get("input")
                            .problem("not used by a step on chat model '" + model.alias() + "', which takes prompt");
                }
            }
            case EMBEDDING -> {
                if (step.input().isEmpty()) {
                    node.get("input").problem("required for a step on embedding model '" + model.alias() + "'");
                }
                CHAT_ONLY.stream()
                        .map(node::get)
                        .filter(ConfigNode::isPresent)
                        .forEach(key -> key.problem(
                                "not used by a step on embedding model '" + model.alias() + "', which takes input"));
            }
        }
    }

    private static void checkNeeds(String step, ConfigNode needs, Set<String> declared) {
        Set<String> seen = new HashSet<>();
        for (ConfigNode item : needs.items()) {
            item.peekText().ifPresent(need -> {
                if (need.equals(step)) {
                    item.problem("a step cannot need itself");
                } else if (!declared.contains(need)) {
                    item.problem("unknown step '" + need + "'");
                } else if (!seen.add(need)) {
                    item.problem("'" + need + "' is listed twice");
                }
            });
        }
    }

    private static void checkReferences(StepConfig step, ConfigNode node, Set<String> declared, Set<String> upstream) {
        Map<String, Optional<String>> texts = new LinkedHashMap<>();
        texts.put("system", step.system());
        texts.put("prompt", step.prompt());
        texts.put("input", step.input());
        texts.put("image", step.image());
        texts.put("when", step.when());
        texts.forEach((key, text) -> text.ifPresent(present -> {
            for (String referenced : referencedSteps(present, TEMPLATES.contains(key))) {
                ConfigNode at = node.get(key);
                if (referenced.equals(step.name())) {
                    at.problem("references its own output, steps." + referenced);
                } else if (!declared.contains(referenced)) {
                    at.problem("references unknown step '" + referenced + "'");
                } else if (!upstream.contains(referenced)) {
                    at.problem("references steps." + referenced + ", but '" + referenced
                            + "' is not among the steps it needs, so it may not have run; add it to needs");
                }
            }
        }));
    }

    /** In a template only the {{ }} expressions refer to steps; a condition is an expression throughout. */
    private static Set<String> referencedSteps(String text, boolean isTemplate) {
        Set<String> referenced = new LinkedHashSet<>();
        if (!isTemplate) {
            collectReferences(text, referenced);
            return referenced;
        }
        Matcher expressions = TEMPLATE.matcher(text);
        while (expressions.find()) {
            collectReferences(expressions.group(1), referenced);
        }
        return referenced;
    }

    private static void collectReferences(String expression, Set<String> into) {
        Matcher references = STEP_REFERENCE.matcher(expression);
        while (references.find()) {
            into.add(references.group(1));
        }
    }

    /** Every step that finishes before {@code step} starts: its needs, their needs, and so on. */
    private static Set<String> upstreamOf(String step, Map<String, List<String>> edges) {
        Set<String> upstream = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(edges.getOrDefault(step, List.of()));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (upstream.add(next)) {
                pending.addAll(edges.getOrDefault(next, List.of()));
            }
        }
        return upstream;
    }
}
