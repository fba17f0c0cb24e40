package dev.pipewright.gateway.ratelimit;

/** What a limit counts; {@link #headerSuffix()} is how OpenAI's {@code x-ratelimit-*} headers name it. */
public enum Dimension {
    REQUESTS("requests"),
    TOKENS("tokens");

    private final String headerSuffix;

    Dimension(String headerSuffix) {
        this.headerSuffix = headerSuffix;
    }

    public String headerSuffix() {
        return headerSuffix;
    }
}
