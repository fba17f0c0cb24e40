package dev.pipewright.model;

import dev.pipewright.config.ModelConfig;

/** Finds the client that serves a model, by the model's provider. */
@FunctionalInterface
public interface ModelClients {
    ModelClient forModel(ModelConfig model);
}
