package dev.pipewright.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A place in the YAML tree and its path ({@code pipelines.analyze.steps.classify}). Navigating never reports
 * anything; reading a value reports what is wrong with it at this path and yields nothing, so that one pass over the
 * file collects every problem. A key given as {@code null} (or left empty) counts as absent.
 */
final class ConfigNode {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.:/-]+");

    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final boolean secret;

    private ConfigNode(JsonNode node, String path, Problems problems, boolean secret) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
        this.secret = secret;
    }

    static ConfigNode root(JsonNode tree, Problems problems) {
        return new ConfigNode(tree, "", problems, false);
    }

    /**
     * This node, and everything under it, as one whose text is never quoted in a problem: where a key belongs only
     * by reference (its hash, the variable holding it), a mistake may have put the key itself.
     */
    ConfigNode secret() {
        return new ConfigNode(node, path, problems, true);
    }

    String path() {
        return path.isEmpty() ? "(root)" : path;
    }

    boolean isPresent() {
        return !node.isMissingNode() && !node.isNull();
    }

    boolean isMapping() {
        return node.isObject();
    }

    boolean isList() {
        return node.isArray();
    }

    void problem(String message) {
        problems.add(path(), message);
    }

    ConfigNode get(String key) {
        String child = PLAIN_KEY.matcher(key).matches() ? key : "[\"" + key + "\"]";
        String childPath = path.isEmpty() || child.startsWith("[") ? path + child : path + "." + child;
        return new ConfigNode(node.isObject() ? node.get(key) : null, childPath, problems, secret);
    }

    /** Reports this key as missing when it is absent; returns this node either way. */
    ConfigNode required() {
        if (!isPresent()) {
            problem("required key is missing");
        }
        return this;
    }

    /**
     * This node as a mapping that may use only {@code allowedKeys}; every other key is reported. Empty when the
     * node is absent (not a problem: the caller applies its defaults) or is not a mapping (reported).
     */
    Optional<ConfigNode> block(String... allowedKeys) {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            problem("expected a mapping with the keys " + String.join(", ", allowedKeys) + ", but was " + describe());
            return Optional.empty();
        }
        List<String> allowed = Arrays.asList(allowedKeys);
        keyList().stream()
                .filter(key -> !allowed.contains(key))
                .forEach(key -> get(key).problem(UnknownKeys.message(key, allowed)));
        return Optional.of(this);
    }

    /** As {@link #entries(String)}, reporting every name that breaks {@code names}. */
    Map<String, ConfigNode> entries(String whatTheNamesAre, NameRule names) {
        Map<String, ConfigNode> entries = entries(whatTheNamesAre);
        entries.forEach((name, entry) -> {
            String problem = names.problemWith(name);
            if (!problem.isEmpty()) {
                entry.problem(problem);
            }
        });
        return entries;
    }

    /** The entries of a mapping of names, in file order; a mapping of names is empty when absent. */
    Map<String, ConfigNode> entries(String whatTheNamesAre) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        if (!isPresent()) {
            return entries;
        }
        if (!node.isObject()) {
            problem("expected a mapping of " + whatTheNamesAre + ", but was " + describe());
            return entries;
        }
        keyList().forEach(key -> entries.put(key, get(key)));
        return entries;
    }

    /** The keys of a mapping in file order, without reporting anything; empty for anything else. */
    SequencedSet<String> keys() {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(keyList()));
    }

    private List<String> keyList() {
        return node.isObject()
                ? node.properties().stream().map(Map.Entry::getKey).toList()
                : List.of();
    }

    /** The items of a list, reporting a value that is not a list; empty when absent. */
    List<ConfigNode> elements() {
        if (isPresent() && !node.isArray()) {
            problem("expected a list, but was " + describe());
        }
        return items();
    }

    /** The items of a list without reporting anything, for checks that run after the values were read. */
    List<ConfigNode> items() {
        if (!node.isArray()) {
            return List.of();
        }
        return IntStream.range(0, node.size())
                .mapToObj(index -> new ConfigNode(node.get(index), path + "[" + index + "]", problems, secret))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** The value as it was written, for a value of any shape (a fixed job input). */
    JsonNode raw() {
        return node.deepCopy();
    }

    /** The text of a string value without reporting anything. */
    Optional<String> peekText() {
        return node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    Optional<String> text() {
        return expect(node.isTextual(), "a string").map(ignored -> node.textValue());
    }

    /** Text that names something, so it cannot be blank. */
    Optional<String> name() {
        return text().filter(text -> {
            if (text.isBlank()) {
                problem("must not be empty");
            }
            return !text.isBlank();
        });
    }

    Optional<Boolean> bool() {
        return expect(node.isBoolean(), "true or false").map(ignored -> node.booleanValue());
    }

    Optional<Integer> integer() {
        Optional<JsonNode> number = expect(node.isIntegralNumber(), "a whole number");
        if (number.isPresent() && !node.canConvertToInt()) {
            problem(node.asText() + " is too large; the largest allowed is " + Integer.MAX_VALUE);
            return Optional.empty();
        }
        return number.map(JsonNode::intValue);
    }

    OptionalInt positiveInteger() {
        return integer().stream()
                .filter(value -> {
                    if (value < 1) {
                        problem("must be at least 1, but was " + value);
                    }
                    return value >= 1;
                })
                .mapToInt(Integer::intValue)
                .findFirst();
    }

    Optional<Double> number() {
        return expect(node.isNumber(), "a number").map(JsonNode::doubleValue);
    }

    /** A non-negative decimal such as a price in USD; a numeric string is accepted so amounts can be quoted. */
    Optional<BigDecimal> amount() {
        Optional<BigDecimal> amount = parseAmount();
        if (isPresent() && amount.isEmpty()) {
            problem(describe() + " is not an amount; write a non-negative number such as 3.00");
        } else if (amount.isPresent() && amount.get().signum() < 0) {
            problem("must not be negative, but was " + amount.get().toPlainString());
            return Optional.empty();
        }
        return amount;
    }

    Optional<Duration> duration() {
        if (node.isNumber()) {
            problem(node.asText() + " has no unit; write it with one, such as " + node.asText() + "s or "
                    + node.asText() + "ms");
            return Optional.empty();
        }
        return text().flatMap(text -> {
            try {
                return Optional.of(Durations.parse(text));
            } catch (IllegalArgumentException bad) {
                problem(bad.getMessage());
                return Optional.empty();
            }
        });
    }

    /** One of the constants of {@code type}, written lower-case with hyphens: {@code rate-limit}. */
    <E extends Enum<E>> Optional<E> choice(Class<E> type) {
        Map<String, E> byName = new LinkedHashMap<>();
        for (E constant : type.getEnumConstants()) {
            byName.put(configName(constant), constant);
        }
        return text().flatMap(text -> {
            E constant = byName.get(text);
            if (constant == null) {
                problem("'" + text + "' is not one of " + String.join(", ", byName.keySet()));
            }
            return Optional.ofNullable(constant);
        });
    }

    /** How config writes an enum constant: lower-case with hyphens, {@code RATE_LIMIT} as {@code rate-limit}. */
    static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Runs a record constructor, turning its IllegalArgumentException into a problem. The problem is put at the key
     * the message starts with when this mapping has that key ({@code "max_delay must be ..."}), else here.
     */
    <T> Optional<T> build(Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException invalid) {
            String message = invalid.getMessage();
            String leadingKey = message.split("[ ,]", 2)[0];
            ConfigNode at = node.isObject() && node.has(leadingKey) ? get(leadingKey) : this;
            at.problem(message);
            return Optional.empty();
        }
    }

    private Optional<JsonNode> expect(boolean rightType, String expected) {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!rightType) {
            problem("expected " + expected + ", but was " + describe());
            return Optional.empty();
        }
        return Optional.of(node);
    }

    private Optional<BigDecimal> parseAmount() {
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        try {
            return peekText().map(text -> new BigDecimal(text.strip()));
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    private String describe() {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return secret ? "a string" : "'" + node.textValue() + "'";
        }
        return node.asText();
    }
}
