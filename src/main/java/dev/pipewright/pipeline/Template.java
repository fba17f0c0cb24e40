package dev.pipewright.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A text with placeholders such as {@code {{input.text}}} or {@code {{ steps.classify.text }}} (see
 * {@link TemplatePath} for the paths). Parsed once, rendered per run; immutable and thread safe. There is no
 * escape for a literal {@code {{}; a lone {@code }}} is kept as text.
 */
public final class Template {
    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code source}.
     *
     * @throws IllegalArgumentException naming the template and the offset when a placeholder is unclosed or not a path
     */
    public static Template parse(String source) {
        Objects.requireNonNull(source, "source");
        List<Part> parts = new ArrayList<>();
        int from = 0;
        for (int open = source.indexOf(OPEN); open >= 0; open = source.indexOf(OPEN, from)) {
            int close = source.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{{' at offset " + open + " in template '" + source + "'");
            }
            if (open > from) {
                parts.add(new Part.Literal(source.substring(from, open)));
            }
            String path = source.substring(open + OPEN.length(), close);
            try {
                parts.add(new Part.Placeholder(TemplatePath.parse(path)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bad placeholder at offset " + open + " in template '" + source + "': " + e.getMessage(), e);
            }
            from = close + CLOSE.length();
        }
        if (from < source.length()) {
            parts.add(new Part.Literal(source.substring(from)));
        }
        return new Template(source, parts);
    }

    /** The text with every placeholder replaced by its value; a missing value renders as the empty string. */
    public String render(TemplateScope scope) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Literal literal) {
            return literal.text();
        }
        StringBuilder text = new StringBuilder(source.length() + 64);
        for (Part part : parts) {
            switch (part) {
                case Part.Literal literal -> text.append(literal.text());
                case Part.Placeholder placeholder ->
                    text.append(placeholder.path().render(scope));
            }
        }
        return text.toString();
    }

    public String source() {
        return source;
    }

    /** The paths this template refers to, in order. */
    Stream<TemplatePath> paths() {
        return parts.stream()
                .flatMap(part ->
                        part instanceof Part.Placeholder placeholder ? Stream.of(placeholder.path()) : Stream.empty());
    }

    @Override
    public String toString() {
        return source;
    }

    private sealed interface Part {
        record Literal(String text) implements Part {}

        record Placeholder(TemplatePath path) implements Part {}
    }
}
