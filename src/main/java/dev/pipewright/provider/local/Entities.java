package dev.pipewright.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pipewright.model.Json;
import java.util.List;

/** Entities found in a text, each list in order of first appearance without repeats. */
public record Entities(
        List<String> people,
        List<String> organizations,
        List<String> dates,
        List<String> money,
        List<String> emails,
        List<String> urls) {
    private static final ObjectMapper JSON = Json.mapper();

    public Entities {
        people = List.copyOf(people);
        organizations = List.copyOf(organizations);
        dates = List.copyOf(dates);
        money = List.copyOf(money);
        emails = List.copyOf(emails);
        urls = List.copyOf(urls);
    }

    /**
     * The entities as one compact JSON object with the keys {@code people, organizations, dates, money, emails,
     * urls}, in that order, each an array of strings (empty when nothing was found).
     */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        put(node, "people", people);
        put(node, "organizations", organizations);
        put(node, "dates", dates);
        put(node, "money", money);
        put(node, "emails", emails);
        put(node, "urls", urls);
        return node.toString();
    }

    private static void put(ObjectNode node, String key, List<String> values) {
        values.forEach(node.putArray(key)::add);
    }
}
