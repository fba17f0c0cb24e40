package dev.pipewright.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the {@code fallbacks} of every model once all models are read: each names another declared model, once, of
 * the same type (a chat call cannot be answered by an embedding model), and no chain of fallbacks comes back round.
 */
final class FallbackChecks {
    private FallbackChecks() {}

    static void check(ConfigNode section, Map<String, ModelConfig> models) {
        Set<String> declared = section.keys();
        for (String alias : declared) {
            Set<String> seen = new HashSet<>();
            for (ConfigNode item : section.get(alias).get("fallbacks").items()) {
                item.peekText().ifPresent(fallback -> checkOne(alias, fallback, item, declared, seen, models));
            }
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        declared.stream()
                .filter(models::containsKey)
                .forEach(alias -> edges.put(
                        alias,
                        models.get(alias).fallbacks().stream()
                                .filter(fallback -> !fallback.equals(alias))
                                .toList()));
        for (List<String> cycle : Cycles.in(edges)) {
            section.get(cycle.getFirst()).get("fallbacks").problem("fallback cycle: " + Cycles.describe(cycle));
        }
    }

    private static void checkOne(
            String alias,
            String fallback,
            ConfigNode item,
            Set<String> declared,
            Set<String> seen,
            Map<String, ModelConfig> models) {
        if (fallback.equals(alias)) {
            item.problem("a model cannot fall back to itself");
        } else if (!declared.contains(fallback)) {
            item.problem("unknown model '" + fallback + "'");
        } else if (!seen.add(fallback)) {
            item.problem("'" + fallback + "' is listed twice");
        } else if (models.containsKey(alias) && models.containsKey(fallback)) {
            ModelType type = models.get(alias).type();
            ModelType fallbackType = models.get(fallback).type();
            if (type != fallbackType) {
                item.problem("'" + fallback + "' is " + article(fallbackType) + " model; " + article(type)
                        + " model can only fall back to " + name(type) + " models");
            }
        }
    }

    private static String article(ModelType type) {
        return (type == ModelType.EMBEDDING ? "an " : "a ") + name(type);
    }

    private static String name(ModelType type) {
        return ConfigNode.configName(type);
    }
}
