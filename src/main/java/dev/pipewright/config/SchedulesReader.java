package dev.pipewright.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code schedules: NAME: {cron, zone, pipeline, tenant, input: {folder | jsonl | fixed}, missed}}. The zone
 * defaults to UTC, the tenant to {@code default}, a missed fire time to {@code skip}. Paths are read relative to the
 * working directory.
 */
final class SchedulesReader {
    private final Set<String> pipelines;

    SchedulesReader(Set<String> pipelines) {
        this.pipelines = pipelines;
    }

    Map<String, ScheduleConfig> read(ConfigNode section) {
        Map<String, ScheduleConfig> schedules = new LinkedHashMap<>();
        section.entries("schedule names to {cron, zone, pipeline, tenant, input, missed}", NameRule.PLAIN)
                .forEach((name, node) -> node.required()
                        .block("cron", "zone", "pipeline", "tenant", "input", "missed")
                        .flatMap(block -> schedule(name, block))
                        .ifPresent(schedule -> schedules.put(name, schedule)));
        return schedules;
    }

    private Optional<ScheduleConfig> schedule(String name, ConfigNode block) {
        Optional<Cron> cron = cron(block.get("cron").required());
        Optional<ZoneId> zone = zone(block.get("zone"));
        ConfigNode pipelineNode = block.get("pipeline").required();
        Optional<String> pipeline = pipelineNode.name().filter(known -> {
            if (!pipelines.contains(known)) {
                pipelineNode.problem("unknown pipeline '" + known + "'");
            }
            return pipelines.contains(known);
        });
        String tenant = block.get("tenant").name().orElse("default");
        Optional<ScheduleConfig.Input> input = input(block.get("input").required());
        ScheduleConfig.MissedFires missed =
                block.get("missed").choice(ScheduleConfig.MissedFires.class).orElse(ScheduleConfig.MissedFires.SKIP);
        if (cron.isEmpty() || zone.isEmpty() || pipeline.isEmpty() || input.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new ScheduleConfig(name, cron.get(), zone.get(), pipeline.get(), tenant, input.get(), missed));
    }

    private static Optional<Cron> cron(ConfigNode node) {
        return node.text().flatMap(text -> {
            try {
                return Optional.of(Cron.parse(text));
            } catch (IllegalArgumentException invalid) {
                node.problem(invalid.getMessage());
                return Optional.empty();
            }
        });
    }

    private static Optional<ZoneId> zone(ConfigNode node) {
        if (!node.isPresent()) {
            return Optional.of(ZoneOffset.UTC);
        }
        return node.name().flatMap(text -> {
            try {
                return Optional.of(ZoneId.of(text));
            } catch (DateTimeException unknown) {
                node.problem("'" + text + "' is not a time zone; write a region such as Europe/Paris, or UTC");
                return Optional.empty();
            }
        });
    }

    private static Optional<ScheduleConfig.Input> input(ConfigNode node) {
        return node.block("folder", "jsonl", "fixed").flatMap(block -> {
            long given = Set.of("folder", "jsonl", "fixed").stream()
                    .filter(key -> block.get(key).isPresent())
                    .count();
            if (given != 1) {
                node.problem("give exactly one of folder, jsonl or fixed");
                return Optional.empty();
            }
            if (block.get("fixed").isPresent()) {
                return Optional.of(
                        new ScheduleConfig.Input.Fixed(block.get("fixed").raw()));
            }
            boolean folder = block.get("folder").isPresent();
            ConfigNode pathNode = block.get(folder ? "folder" : "jsonl");
            return pathNode.name().flatMap(text -> {
                try {
                    Path path = Path.of(text);
                    return Optional.of(
                            folder ? new ScheduleConfig.Input.Folder(path) : new ScheduleConfig.Input.JsonLines(path));
                } catch (InvalidPathException invalid) {
                    pathNode.problem("'" + text + "' is not a path: " + invalid.getReason());
                    return Optional.empty();
                }
            });
        });
    }
}
