package dev.pipewright.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Free-form cost allocation tags from the {@code X-Pipewright-Tags} header, {@code team=search,feature=x}: at most 16
 * pairs, each key 1 to 64 letters, digits, '_', '.' or '-', each value 1 to 128 of those or ':' and '/'. They are
 * stored with every ledger row of the request; anything else is refused with a message that names the problem.
 */
final class AllocationTags {
    static final HeaderName HEADER = HeaderNames.create("X-Pipewright-Tags");
    static final int MAX_TAGS = 16;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");

    private AllocationTags() {}

    /** The tags of {@code request}; empty without the header. */
    static Map<String, String> of(ServerRequest request) {
        Optional<String> header = request.headers().first(HEADER);
        return header.map(AllocationTags::parse).orElse(Map.of());
    }

    /**
     * @throws IllegalArgumentException naming the header and the bad part
     */
    static Map<String, String> parse(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header.isBlank()) {
            return tags;
        }
        for (String pair : header.split(",", -1)) {
            String trimmed = pair.strip();
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw bad("'" + trimmed + "' is not key=value");
            }
            String key = trimmed.substring(0, equals).strip();
            String value = trimmed.substring(equals + 1).strip();
            if (!KEY.matcher(key).matches()) {
                throw bad("key '" + key + "' must be 1 to 64 letters, digits, '_', '.' or '-'");
            }
            if (!VALUE.matcher(value).matches()) {
                throw bad("value '" + value + "' of '" + key
                        + "' must be 1 to 128 letters, digits, '_', '.', '-', ':' or '/'");
            }
            if (tags.put(key, value) != null) {
                throw bad("tag '" + key + "' is given twice");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw bad("at most " + MAX_TAGS + " tags, but there were " + tags.size());
        }
        return tags;
    }

    private static IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(HEADER.defaultCase() + ": " + problem
                + "; write key=value pairs separated by commas, such as" + " team=search,feature=autocomplete");
    }
}
