package dev.pipewright.config;

/** What a model produces: chat text (including vision and classification) or embedding vectors. */
public enum ModelType {
    CHAT,
    EMBEDDING
}
