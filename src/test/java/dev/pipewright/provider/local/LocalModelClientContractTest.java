package dev.pipewright.provider.local;

import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelClientContract;
import java.util.Optional;

class LocalModelClientContractTest extends ModelClientContract {
    private static final ModelClient CLIENT = new LocalModelClient(LocalModelSettings.defaults());

    @Override
    protected ModelClient client() {
        return CLIENT;
    }

    @Override
    protected String chatModel() {
        return LocalModelClient.EXTRACTOR;
    }

    @Override
    protected Optional<String> embeddingModel() {
        return Optional.of(LocalModelClient.EMBEDDER);
    }

    @Override
    protected Optional<String> slowChatModel() {
        return Optional.empty();
    }
}
