package dev.pipewright.gateway.console;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's Mustache templates, read from the jar under {@code dev/pipewright/gateway/console/templates} and
 * compiled once each. Values are HTML-escaped unless a template writes them with triple braces, which only the SVG
 * that {@link Svg} built (and escaped itself) may use. Thread safe.
 */
final class Templates {
    private final MustacheFactory factory = new DefaultMustacheFactory("dev/pipewright/gateway/console/templates");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    String render(String name, Map<String, Object> scope) {
        Mustache template = compiled.computeIfAbsent(name, key -> factory.compile(key + ".mustache"));
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** Text made safe to place in HTML or SVG, as element content or a quoted attribute value. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
