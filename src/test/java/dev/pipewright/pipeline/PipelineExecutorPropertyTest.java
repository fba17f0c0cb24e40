package dev.pipewright.pipeline;

import static dev.pipewright.pipeline.Fixtures.chat;
import static dev.pipewright.pipeline.Fixtures.needs;
import static dev.pipewright.pipeline.Fixtures.optional;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.config.PipelineConfig;
import dev.pipewright.config.StepConfig;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A property over random DAGs: each seed generates a pipeline of up to eight steps with random needs among earlier
 * steps, a random subset already journaled and random optional failures. A failing seed names itself in the test
 * name, so it can be replayed exactly.
 */
class PipelineExecutorPropertyTest {
    private static final int TRIES = 200;

    /** Step {@code i} of a generated pipeline: which earlier steps it needs (bit j: step j), and its fate. */
    record StepSpec(int needsMask, boolean journaled, boolean failsOptionally) {
        List<Integer> needs(int index) {
            return IntStream.range(0, index)
                    .filter(j -> (needsMask & (1 << j)) != 0)
                    .boxed()
                    .toList();
        }
    }

    static LongStream seeds() {
        return new Random(20261129).longs(TRIES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void steps_start_after_their_needs_run_at_most_once_and_never_when_journaled(long seed) {
        // given
        List<StepSpec> specs = pipeline(new Random(seed));
        Harness harness = new Harness();
        Set<Integer> ended = ConcurrentHashMap.newKeySet();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        List<StepConfig> steps = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            StepSpec spec = specs.get(i);
            List<Integer> stepNeeds = spec.needs(i);
            int index = i;
            harness.chatModel("m" + i, (request, options) -> {
                stepNeeds.stream()
                        .filter(need ->
                                !ended.contains(need) && !specs.get(need).journaled())
                        .forEach(need -> violations.add("s" + index + " started before s" + need + " ended"));
                try {
                    if (spec.failsOptionally()) {
                        throw new ModelException(new ModelError.Unavailable("down", 503, Optional.empty()));
                    }
                    return ScriptedModelClient.text("out " + index).answer(request, options);
                } finally {
                    ended.add(index);
                }
            });
            String prompt = stepNeeds.stream()
                    .map(need -> "{{steps.s" + need + ".text}};")
                    .collect(Collectors.joining());
            StepConfig step = needs(
                    chat("s" + i, "m" + i, "s" + i + ":" + prompt),
                    stepNeeds.stream().map(need -> "s" + need).toArray(String[]::new));
            steps.add(spec.failsOptionally() ? optional(step) : step);
            if (spec.journaled()) {
                harness.journal.record("s" + i, new StepOutput.Text("journal " + i));
            }
        }
        PipelineConfig pipeline = new PipelineConfig("random", Duration.ofMinutes(1), steps, Map.of());

        // when
        PipelineResult result = harness.run(pipeline, "{}");

        // then
        assertThat(violations).isEmpty();
        Map<String, Long> callsPerModel = harness.client.calls().stream()
                .collect(Collectors.groupingBy(ScriptedModelClient.Call::model, Collectors.counting()));
        assertThat(callsPerModel.values()).allMatch(count -> count == 1);
        List<StepStatus> expected = expectedStatuses(specs);
        for (int i = 0; i < specs.size(); i++) {
            assertThat(callsPerModel.containsKey("m" + i + "-v1"))
                    .as("s%d was called", i)
                    .isEqualTo(!specs.get(i).journaled() && expected.get(i) != StepStatus.SKIPPED);
            assertThat(result.steps().get("s" + i).status())
                    .as("status of s%d", i)
                    .isEqualTo(expected.get(i));
        }
        harness.client.calls().forEach(call -> assertThat(promptOf(call)).isEqualTo(expectedPrompt(call, specs)));
    }

    /** Journaled steps are done; a step needing one without output is skipped; the rest succeed or degrade. */
    private static List<StepStatus> expectedStatuses(List<StepSpec> specs) {
        List<StepStatus> statuses = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            StepSpec spec = specs.get(i);
            boolean needsMissing = spec.needs(i).stream()
                    .map(statuses::get)
                    .anyMatch(status -> status == StepStatus.SKIPPED || status == StepStatus.DEGRADED);
            statuses.add(
                    spec.journaled()
                            ? StepStatus.FROM_JOURNAL
                            : needsMissing
                                    ? StepStatus.SKIPPED
                                    : spec.failsOptionally() ? StepStatus.DEGRADED : StepStatus.SUCCEEDED);
        }
        return statuses;
    }

    private static String expectedPrompt(ScriptedModelClient.Call call, List<StepSpec> specs) {
        int index = Integer.parseInt(call.model().substring(1, call.model().indexOf('-')));
        Function<Integer, String> output = need -> (specs.get(need).journaled() ? "journal " : "out ") + need + ";";
        return "s" + index + ":"
                + specs.get(index).needs(index).stream().map(output).collect(Collectors.joining());
    }

    private static String promptOf(ScriptedModelClient.Call call) {
        return ((ModelRequest.Chat) call.request()).messages().getLast().text();
    }

    private static List<StepSpec> pipeline(Random random) {
        int size = 1 + random.nextInt(8);
        List<StepSpec> specs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            specs.add(new StepSpec(random.nextInt(256), random.nextInt(4) == 0, random.nextInt(4) == 0));
        }
        return specs;
    }
}
