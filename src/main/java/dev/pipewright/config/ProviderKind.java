package dev.pipewright.config;

/** The wire protocol a provider speaks; {@code openai} also serves any OpenAI-compatible server via base_url. */
public enum ProviderKind {
    OPENAI,
    ANTHROPIC,
    LOCAL,
    SIMULATED
}
