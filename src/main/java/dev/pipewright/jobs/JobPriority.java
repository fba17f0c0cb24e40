package dev.pipewright.jobs;

import java.util.Locale;

/**
 * Which jobs workers take first: any due interactive job (an async request a user waits for) goes before any batch
 * job (a scheduled or bulk run). Stored as its {@link #rank}, lower first.
 */
public enum JobPriority {
    INTERACTIVE(0),
    BATCH(1);

    private final int rank;

    JobPriority(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The priority written {@code text} ({@code interactive}, {@code batch}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static JobPriority fromJsonName(String text) {
        for (JobPriority priority : values()) {
            if (priority.jsonName().equals(text)) {
                return priority;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a priority; use interactive or batch");
    }
}
