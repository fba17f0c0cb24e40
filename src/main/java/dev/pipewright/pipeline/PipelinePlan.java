package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.StepConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A pipeline compiled for running: its steps as a checked DAG (indices into declaration order) with their templates
 * and conditions parsed. Built once per {@link PipelineConfig} and shared by every run; immutable.
 */
final class PipelinePlan {
    private final PipelineConfig pipeline;
    private final List<PlannedStep> steps;
    private final List<Integer> order;
    private final List<RequiredInput> requiredInputs;

    /** One step: {@code needs} and {@code dependents} are indices of other steps. */
    record PlannedStep(
            int index,
            StepConfig config,
            List<Integer> needs,
            List<Integer> dependents,
            Optional<Template> system,
            Optional<Template> prompt,
            Optional<Template> input,
            Optional<Template> image,
            Optional<Condition> when) {

        String name() {
            return config.name();
        }

        Stream<TemplatePath> paths() {
            return Stream.of(system, prompt, input, image)
                    .flatMap(Optional::stream)
                    .flatMap(Template::paths);
        }
    }

    /** An input path that a step which always runs renders into its request. */
    private record RequiredInput(TemplatePath.Input path, String step) {}

    private PipelinePlan(
            PipelineConfig pipeline, List<PlannedStep> steps, List<Integer> order, List<RequiredInput> requiredInputs) {
        this.pipeline = pipeline;
        this.steps = List.copyOf(steps);
        this.order = List.copyOf(order);
        this.requiredInputs = List.copyOf(requiredInputs);
    }

    /**
     * Checks and compiles {@code pipeline}.
     *
     * @throws IllegalArgumentException naming the step and the problem: a duplicate name, an unknown need, a cycle,
     *     a bad template or condition, a template that reads a step it does not need, an output of an unknown step
     */
    static PipelinePlan compile(PipelineConfig pipeline) {
        Map<String, Integer> indices = indices(pipeline);
        List<List<Integer>> needs = new ArrayList<>();
        List<List<Integer>> dependents = new ArrayList<>();
        for (StepConfig step : pipeline.steps()) {
            needs.add(needIndices(pipeline, step, indices));
            dependents.add(new ArrayList<>());
        }
        for (int step = 0; step < needs.size(); step++) {
            for (int need : needs.get(step)) {
                dependents.get(need).add(step);
            }
        }
        List<Integer> order = topologicalOrder(pipeline, needs, dependents);
        List<PlannedStep> steps = new ArrayList<>();
        for (int i = 0; i < pipeline.steps().size(); i++) {
            steps.add(planned(pipeline, i, needs.get(i), dependents.get(i)));
        }
        BitSet conditional = new BitSet();
        List<BitSet> ancestors = ancestors(steps, order, conditional);
        checkStepReferences(pipeline, steps, ancestors, indices);
        pipeline.output().forEach((key, step) -> {
            if (!indices.containsKey(step)) {
                throw new IllegalArgumentException(
                        "pipeline '" + pipeline.name() + "' output '" + key + "' names unknown step '" + step + "'");
            }
        });
        return new PipelinePlan(pipeline, steps, order, requiredInputs(steps, conditional));
    }

    PipelineConfig pipeline() {
        return pipeline;
    }

    List<PlannedStep> steps() {
        return steps;
    }

    PlannedStep step(int index) {
        return steps.get(index);
    }

    /** Step indices such that every step comes after the steps it needs. */
    List<Integer> order() {
        return order;
    }

    /**
     * Checks that {@code input} holds every path that a step which always runs (no {@code when} on it or on any step
     * it needs) renders into its system text, prompt or embedding input. Other steps, and images, render a missing
     * path as the empty string, because a {@code when} (or an absent image) is how a pipeline says a value may be
     * missing.
     *
     * @throws PipelineInputException listing every missing path
     */
    void requireInputs(JsonNode input) {
        if (requiredInputs.isEmpty()) {
            return;
        }
        TemplateScope scope = new TemplateScope(input, Map.of());
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (RequiredInput required : requiredInputs) {
            if (required.path().resolve(scope).isEmpty()) {
                missing.add(required.path().text() + " (step '" + required.step() + "')");
            }
        }
        if (!missing.isEmpty()) {
            throw new PipelineInputException(pipeline.name(), List.copyOf(missing));
        }
    }

    private static Map<String, Integer> indices(PipelineConfig pipeline) {
        Map<String, Integer> indices = new HashMap<>();
        for (int i = 0; i < pipeline.steps().size(); i++) {
            String name = pipeline.steps().get(i).name();
            if (indices.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException(
                        "pipeline '" + pipeline.name() + "' has two steps named '" + name + "'");
            }
        }
        return indices;
    }

    private static List<Integer> needIndices(PipelineConfig pipeline, StepConfig step, Map<String, Integer> indices) {
        LinkedHashSet<Integer> needs = new LinkedHashSet<>();
        for (String need : step.needs()) {
            Integer index = indices.get(need);
            if (index == null) {
                throw new IllegalArgumentException("step '" + step.name() + "' of pipeline '" + pipeline.name()
                        + "' needs unknown step '" + need + "'");
            }
            needs.add(index);
        }
        return List.copyOf(needs);
    }

    private static List<Integer> topologicalOrder(
            PipelineConfig pipeline, List<List<Integer>> needs, List<List<Integer>> dependents) {
        int[] pending = needs.stream().mapToInt(List::size).toArray();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int step = ready.poll();
            order.add(step);
            for (int dependent : dependents.get(step)) {
                if (--pending[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() < pending.length) {
            List<String> cycle = new ArrayList<>();
            for (int i = 0; i < pending.length; i++) {
                if (pending[i] > 0) {
                    cycle.add(pipeline.steps().get(i).name());
                }
            }
            throw new IllegalArgumentException(
                    "pipeline '" + pipeline.name() + "' has a cycle of needs among steps " + cycle);
        }
        return order;
    }

    private static PlannedStep planned(PipelineConfig pipeline, int index, List<Integer> needs, List<Integer> deps) {
        StepConfig step = pipeline.steps().get(index);
        try {
            return new PlannedStep(
                    index,
                    step,
                    needs,
                    List.copyOf(deps),
                    step.system().map(Template::parse),
                    step.prompt().map(Template::parse),
                    step.input().map(Template::parse),
                    step.image().map(Template::parse),
                    step.when().map(Condition::parse));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "step '" + step.name() + "' of pipeline '" + pipeline.name() + "': " + e.getMessage(), e);
        }
    }

    /** Every step's transitive needs; sets {@code conditional} for steps that have a when or need one that has. */
    private static List<BitSet> ancestors(List<PlannedStep> steps, List<Integer> order, BitSet conditional) {
        List<BitSet> ancestors = new ArrayList<>();
        steps.forEach(step -> ancestors.add(new BitSet()));
        for (int index : order) {
            PlannedStep step = steps.get(index);
            BitSet own = ancestors.get(index);
            for (int need : step.needs()) {
                own.set(need);
                own.or(ancestors.get(need));
            }
            boolean guarded = step.when().isPresent() || own.stream().anyMatch(conditional::get);
            conditional.set(index, guarded);
        }
        return ancestors;
    }

    private static void checkStepReferences(
            PipelineConfig pipeline, List<PlannedStep> steps, List<BitSet> ancestors, Map<String, Integer> indices) {
        for (PlannedStep step : steps) {
            Stream.concat(step.paths(), step.when().map(Condition::path).stream())
                    .flatMap(path -> path instanceof TemplatePath.Step read ? Stream.of(read) : Stream.empty())
                    .forEach(read -> {
                        Integer source = indices.get(read.step());
                        if (source == null || !ancestors.get(step.index()).get(source)) {
                            throw new IllegalArgumentException("step '" + step.name() + "' of pipeline '"
                                    + pipeline.name() + "' reads " + read.text() + " but does not need '"
                                    + read.step() + "' (directly or through the steps it needs)");
                        }
                    });
        }
    }

    private static List<RequiredInput> requiredInputs(List<PlannedStep> steps, BitSet conditional) {
        List<RequiredInput> required = new ArrayList<>();
        for (PlannedStep step : steps) {
            if (conditional.get(step.index())) {
                continue;
            }
            Stream.of(step.system(), step.prompt(), step.input())
                    .flatMap(Optional::stream)
                    .flatMap(Template::paths)
                    .flatMap(path -> path instanceof TemplatePath.Input input ? Stream.of(input) : Stream.empty())
                    .forEach(input -> required.add(new RequiredInput(input, step.name())));
        }
        return required;
    }
}
