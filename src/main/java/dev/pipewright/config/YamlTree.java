package dev.pipewright.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads one YAML document into a tree, or reports why it cannot as a single problem with its line and column. Duplicate
 * keys are errors (YAML would silently keep the last one), decimals stay exact, and an empty value is null.
 */
final class YamlTree {
    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
                    .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private YamlTree() {}

    static Optional<JsonNode> read(String yaml, Problems problems) {
        try (JsonParser parser = new AliasRejectingParser((YAMLParser) MAPPER.createParser(yaml))) {
            JsonNode tree = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                report(
                        parser.currentTokenLocation(),
                        "a config file holds one YAML document, but this one has more",
                        problems);
                return Optional.empty();
            }
            return Optional.of(tree == null ? MissingNode.getInstance() : tree);
        } catch (JsonProcessingException malformed) {
            report(malformed.getLocation(), malformed.getOriginalMessage(), problems);
            return Optional.empty();
        } catch (IOException unreadable) {
            problems.add("(file)", "cannot be read: " + unreadable.getMessage());
            return Optional.empty();
        }
    }

    private static void report(JsonLocation location, String message, Problems problems) {
        String where =
                location == null ? "(syntax)" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        problems.add(where, withoutSnippets(message));
    }

    /**
     * SnakeYAML's messages quote each line involved, indented, with a caret below it; the problem's path already says
     * where, so only the unindented lines that say what is wrong are kept.
     */
    private static String withoutSnippets(String message) {
        String words = message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
        return words.isEmpty() ? "is not valid YAML" : words;
    }

    /**
     * Jackson hands a YAML alias ({@code *name}) over as the anchor's name instead of the anchored value, which would
     * quietly turn a mapping into a string; refusing aliases keeps what the file says and what is read the same.
     */
    private static final class AliasRejectingParser extends JsonParserDelegate {
        private final YAMLParser yaml;

        AliasRejectingParser(YAMLParser yaml) {
            super(yaml);
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (yaml.isCurrentAlias()) {
                throw new JsonParseException(
                        this, "YAML aliases (*" + yaml.getText() + ") are not supported; repeat the value");
            }
            return token;
        }
    }
}
