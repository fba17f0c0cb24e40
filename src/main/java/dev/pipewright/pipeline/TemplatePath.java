package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A value templates and conditions refer to: {@code input}, {@code input.a.b} (a numeric segment indexes an array)
 * or {@code steps.NAME.text} / {@code steps.NAME.output} (the two are the same: the step's text, or its vectors as
 * JSON). An absent value, a JSON null, and the output of a step that did not produce one are all missing.
 */
sealed interface TemplatePath permits TemplatePath.Input, TemplatePath.Step {

    /** The path as written, normalised: {@code input.a.b}. */
    String text();

    /** The value, or empty when missing. */
    Optional<JsonNode> resolve(TemplateScope scope);

    /** The value as template text: a JSON string as its content, any other JSON value as JSON, missing as "". */
    default String render(TemplateScope scope) {
        return resolve(scope).map(TemplatePath::asText).orElse("");
    }

    /** Present, not null, not false, and not an empty string, array or object. */
    default boolean truthy(TemplateScope scope) {
        return resolve(scope)
                .filter(node -> !(node.isBoolean() && !node.booleanValue()))
                .filter(node -> !(node.isTextual() && node.textValue().isEmpty()))
                .filter(node -> !(node.isContainerNode() && node.isEmpty()))
                .isPresent();
    }

    private static String asText(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }

    static TemplatePath parse(String text) {
        String trimmed = text.strip();
        List<String> segments = List.of(trimmed.split("\\.", -1));
        if (segments.stream().anyMatch(segment -> segment.isBlank() || !segment.equals(segment.strip()))) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a path: a segment is empty or has spaces");
        }
        return switch (segments.getFirst()) {
            case "input" -> new Input(segments.subList(1, segments.size()));
            case "steps" -> {
                if (segments.size() != 3
                        || !(segments.get(2).equals("text") || segments.get(2).equals("output"))) {
                    throw new IllegalArgumentException(
                            "'" + trimmed + "' is not a step path: use steps.NAME.text or steps.NAME.output");
                }
                yield new Step(segments.get(1), segments.get(2));
            }
            default ->
                throw new IllegalArgumentException(
                        "'" + trimmed + "' is not a path: it must start with 'input' or 'steps'");
        };
    }

    record Input(List<String> segments) implements TemplatePath {
        public Input {
            segments = List.copyOf(segments);
        }

        @Override
        public String text() {
            return segments.isEmpty() ? "input" : "input." + String.join(".", segments);
        }

        @Override
        public Optional<JsonNode> resolve(TemplateScope scope) {
            JsonNode node = scope.input();
            for (String segment : segments) {
                node = child(node, segment);
                if (node == null) {
                    return Optional.empty();
                }
            }
            return node.isNull() || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        }

        private static JsonNode child(JsonNode node, String segment) {
            if (node.isObject()) {
                return node.get(segment);
            }
            if (node.isArray() && segment.chars().allMatch(Character::isDigit) && segment.length() < 10) {
                return node.get(Integer.parseInt(segment));
            }
            return null;
        }
    }

    record Step(String step, String field) implements TemplatePath {
        @Override
        public String text() {
            return "steps." + step + "." + field;
        }

        @Override
        public Optional<JsonNode> resolve(TemplateScope scope) {
            return Optional.ofNullable(scope.steps().get(step)).map(StepOutput::toJson);
        }

        @Override
        public String render(TemplateScope scope) {
            StepOutput output = scope.steps().get(step);
            return output instanceof StepOutput.Text text ? text.text() : TemplatePath.super.render(scope);
        }
    }
}
