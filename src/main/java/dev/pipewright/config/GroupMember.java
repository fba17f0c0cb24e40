package dev.pipewright.config;

/** One model of a model group and its share of the traffic under the weighted strategy. */
public record GroupMember(String model, int weight) {
    public static final int DEFAULT_WEIGHT = 1;

    public GroupMember {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must name a model alias, but was '" + model + "'");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, but was " + weight);
        }
    }
}
