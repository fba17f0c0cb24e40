package dev.pipewright.gateway.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pipewright.model.ContentPart;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads a request body field by field and collects every problem, each named by its path
 * ({@code messages[2].content: expected a string or an array of parts}), so that one 400 lists all that is wrong.
 * Not thread safe: one instance checks one request.
 */
final class RequestCheck {
    private final List<String> problems = new ArrayList<>();
    private Optional<String> firstPath = Optional.empty();

    void problem(String path, String message) {
        problems.add(path + ": " + message);
        if (firstPath.isEmpty()) {
            firstPath = Optional.of(path);
        }
    }

    /** Throws the problems found so far, if any. */
    void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", problems), firstPath);
        }
    }

    static String path(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String path(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The body itself must be an object; nothing else can be read from anything else. */
    JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw new InvalidRequestException(
                    "the request body must be a JSON object, but was " + kind(body), Optional.empty());
        }
        return body;
    }

    /**
     * Checks the fields of {@code object}: {@code read} are understood, {@code ignored} are documented options this
     * gateway accepts without acting on them, {@code unsupported} are documented options it cannot honour (with the
     * reason; null or false is taken as not asking for them); anything else is unknown.
     */
    void fields(JsonNode object, String path, Set<String> read, Set<String> ignored, Map<String, String> unsupported) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (read.contains(name) || ignored.contains(name)) {
                continue;
            }
            String reason = unsupported.get(name);
            JsonNode value = object.get(name);
            boolean unset = value.isNull() || (value.isBoolean() && !value.booleanValue());
            if (reason != null && !unset) {
                problem(path(path, name), reason);
            } else if (reason == null) {
                problem(path(path, name), "unknown field");
            }
        }
    }

    Optional<String> string(JsonNode object, String path, String field, boolean required) {
        JsonNode node = object.get(field);
        String at = path(path, field);
        if (node == null || node.isNull()) {
            if (required) {
                problem(at, "required");
            }
            return Optional.empty();
        }
        if (!node.isTextual()) {
            problem(at, "expected a string, but was " + kind(node));
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    OptionalInt positiveInt(JsonNode object, String path, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            problem(path(path, field), "expected a positive integer, but was " + node);
            return OptionalInt.empty();
        }
        return OptionalInt.of(node.intValue());
    }

    OptionalDouble number(JsonNode object, String path, String field, double min, double max) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return OptionalDouble.empty();
        }
        if (!node.isNumber() || node.doubleValue() < min || node.doubleValue() > max) {
            problem(
                    path(path, field),
                    "expected a number between " + format(min) + " and " + format(max) + ", but was " + node);
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(node.doubleValue());
    }

    boolean flag(JsonNode object, String path, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            problem(path(path, field), "expected true or false, but was " + kind(node));
            return false;
        }
        return node.booleanValue();
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> node.textValue().isEmpty() ? "an empty string" : "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> node.isEmpty() ? "an empty array" : "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * The elements of the non-empty array {@code field}, each read by {@code element} from its node and path; an
     * absent field, another type or an empty array is a problem, and so is each element {@code element} refuses.
     */
    <T> List<T> nonEmptyArray(
            JsonNode array, String field, String what, BiFunction<JsonNode, String, Optional<T>> element) {
        if (array == null || array.isNull()) {
            problem(field, "required");
            return List.of();
        }
        return elements(array, field, "expected a non-empty array of " + what, element);
    }

    /**
     * A message's content: a string is one text part; otherwise a non-empty array whose elements {@code part} reads.
     * {@code what} names the elements in the problem a wrong type makes.
     */
    List<ContentPart> textOrParts(
            JsonNode content, String path, String what, BiFunction<JsonNode, String, Optional<ContentPart>> part) {
        if (content == null || content.isNull()) {
            problem(path, "required");
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(new ContentPart.Text(content.textValue()));
        }
        return elements(content, path, "expected a string or an array of " + what, part);
    }

    private <T> List<T> elements(
            JsonNode array, String path, String expected, BiFunction<JsonNode, String, Optional<T>> element) {
        if (!array.isArray() || array.isEmpty()) {
            problem(path, expected + ", but was " + kind(array));
            return List.of();
        }
        List<T> result = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            element.apply(array.get(i), path(path, i)).ifPresent(result::add);
        }
        return result;
    }
}
