package dev.pipewright.pipeline;

/**
 * A step's {@code when}: {@code PATH} (truthy), {@code not PATH}, {@code PATH == 'text'} or {@code PATH != 'text'}
 * (single or double quotes). A comparison strips surrounding white space from the value, since models often end
 * their answer with a newline, and is case-sensitive. Immutable and thread safe.
 */
sealed interface Condition permits Condition.Truthy, Condition.Falsy, Condition.Equals {

    boolean test(TemplateScope scope);

    TemplatePath path();

    static Condition parse(String source) {
        try {
            return parseExpression(source.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad condition '" + source + "': " + e.getMessage(), e);
        }
    }

    private static Condition parseExpression(String expression) {
        if (expression.startsWith("not ")) {
            return new Falsy(TemplatePath.parse(expression.substring("not ".length())));
        }
        int equals = expression.indexOf("==");
        int notEquals = expression.indexOf("!=");
        if (equals < 0 && notEquals < 0) {
            return new Truthy(TemplatePath.parse(expression));
        }
        int operator = equals < 0 ? notEquals : notEquals < 0 ? equals : Math.min(equals, notEquals);
        TemplatePath path = TemplatePath.parse(expression.substring(0, operator));
        return new Equals(path, literal(expression.substring(operator + 2).strip()), operator == equals);
    }

    private static String literal(String quoted) {
        boolean quotedOnce = quoted.length() >= 2
                && (quoted.charAt(0) == '\'' || quoted.charAt(0) == '"')
                && quoted.charAt(quoted.length() - 1) == quoted.charAt(0);
        if (!quotedOnce) {
            throw new IllegalArgumentException("compare with a quoted text, such as 'legal', not " + quoted);
        }
        return quoted.substring(1, quoted.length() - 1);
    }

    record Truthy(TemplatePath path) implements Condition {
        @Override
        public boolean test(TemplateScope scope) {
            return path.truthy(scope);
        }
    }

    record Falsy(TemplatePath path) implements Condition {
        @Override
        public boolean test(TemplateScope scope) {
            return !path.truthy(scope);
        }
    }

    record Equals(TemplatePath path, String value, boolean equal) implements Condition {
        @Override
        public boolean test(TemplateScope scope) {
            return path.render(scope).strip().equals(value) == equal;
        }
    }
}
