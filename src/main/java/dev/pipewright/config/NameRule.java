package dev.pipewright.config;

import java.util.regex.Pattern;

/** What the names of one kind of thing (providers, model aliases, steps) may look like, and how to say so. */
record NameRule(String kind, Pattern pattern, String rule) {
    /** Provider, pipeline and tenant names, which also appear in URLs and metrics. */
    static final NameRule PLAIN = new NameRule(
            "name",
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*"),
            "start with a letter or digit, then use letters, digits, '.', '_' or '-'");

    /** Model aliases are also what proxy clients send as {@code model}, so they may carry '/' and ':' as such names do. */
    static final NameRule MODEL_ALIAS = new NameRule(
            "model alias",
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*"),
            "start with a letter or digit, then use letters, digits, '.', '_', '-', ':' or '/'");

    /** Step names appear in templates ({@code {{steps.classify.text}}}), so they must read as one identifier. */
    static final NameRule STEP = new NameRule(
            "step name",
            Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*"),
            "start with a letter or '_', then use letters, digits, '_' or '-', so templates can use steps.NAME");

    String problemWith(String name) {
        return pattern.matcher(name).matches() ? "" : "'" + name + "' is not a usable " + kind + "; " + rule;
    }
}
