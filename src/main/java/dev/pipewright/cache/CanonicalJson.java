package dev.pipewright.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * One text per JSON value, whatever its formatting: object keys sorted, no white space, numbers in their shortest
 * exact decimal form ({@code 1.0}, {@code 1.00} and {@code 1} are one number). Two requests whose semantic fields are
 * equal as JSON values get the same text, and so the same cache key.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    public static String write(JsonNode value) {
        StringBuilder out = new StringBuilder();
        append(value, out);
        return out.toString();
    }

    private static void append(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> appendObject(value, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(value.get(i), out);
                }
                out.append(']');
            }
            case NUMBER -> out.append(number(value));
            case STRING -> out.append(value);
            case BOOLEAN -> out.append(value.booleanValue());
            case NULL, MISSING -> out.append("null");
            case BINARY, POJO -> out.append(TextNode.valueOf(value.asText()));
        }
    }

    private static void appendObject(JsonNode object, StringBuilder out) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            sorted.put(field.getKey(), field.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(TextNode.valueOf(field.getKey())).append(':');
            append(field.getValue(), out);
        }
        out.append('}');
    }

    private static String number(JsonNode number) {
        if (number.isIntegralNumber()) {
            return number.bigIntegerValue().toString();
        }
        BigDecimal decimal = number.decimalValue().stripTrailingZeros();
        return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
    }
}
