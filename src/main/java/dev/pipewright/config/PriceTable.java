package dev.pipewright.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The shipped, dated list prices of common pinned models ({@code model-prices.yaml}): the price of a model alias
 * whose configuration sets none. A price in the configuration always wins over the table.
 */
public final class PriceTable {
    static final String TABLE = "model-prices.yaml";

    private static final PriceTable SHIPPED = read(TABLE);

    private final String asOf;
    private final Map<String, Price> prices;

    PriceTable(String asOf, Map<String, Price> prices) {
        this.asOf = asOf;
        this.prices = Map.copyOf(prices);
    }

    public static PriceTable shipped() {
        return SHIPPED;
    }

    /** The date the table's prices were taken, as {@code YYYY-MM-DD}. */
    public String asOf() {
        return asOf;
    }

    /** The list price of the pinned provider model {@code model}, when the table has it. */
    public Optional<Price> priceOf(String model) {
        return Optional.ofNullable(prices.get(model.toLowerCase(Locale.ROOT)));
    }

    public Map<String, Price> prices() {
        return prices;
    }

    static PriceTable read(String resource) {
        try (InputStream table = PriceTable.class.getResourceAsStream(resource)) {
            if (table == null) {
                throw new IllegalStateException("the price table " + resource + " is missing from the classpath");
            }
            // Decimals as written, never through a double.
            JsonNode root = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(table);
            Map<String, Price> prices = new LinkedHashMap<>();
            root.path("prices").properties().forEach(entry -> {
                JsonNode rates = entry.getValue();
                prices.put(
                        entry.getKey().toLowerCase(Locale.ROOT),
                        new Price(
                                decimal(rates, "input"),
                                decimal(rates, "output"),
                                Optional.ofNullable(rates.get("cached_input"))
                                        .map(node -> decimal(rates, "cached_input")),
                                Optional.ofNullable(rates.get("per_image")).map(node -> decimal(rates, "per_image"))));
            });
            return new PriceTable(root.path("as_of").asText(), prices);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read the price table " + resource, unreadable);
        }
    }

    private static BigDecimal decimal(JsonNode rates, String field) {
        JsonNode value = rates.get(field);
        if (value == null) {
            throw new IllegalStateException("the price table " + TABLE + " lacks '" + field + "' in " + rates);
        }
        return value.decimalValue();
    }
}
