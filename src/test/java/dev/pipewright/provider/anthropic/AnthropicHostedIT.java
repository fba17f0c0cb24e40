package dev.pipewright.provider.anthropic;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelClientContract;
import java.util.Optional;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract against the hosted Messages API, run only when {@code ANTHROPIC_API_KEY} is set; the model is
 * {@code ANTHROPIC_MODEL} when set, else a small pinned Claude. It spends a few hundred tokens per run.
 */
@EnabledIfEnvironmentVariable(named = "ANTHROPIC_API_KEY", matches = ".+")
class AnthropicHostedIT extends ModelClientContract {
    private final ModelClient client = new AnthropicModelClient(
            new ProviderConfig("anthropic", ProviderKind.ANTHROPIC, Optional.of("ANTHROPIC_API_KEY"), Optional.empty()),
            name -> Optional.ofNullable(System.getenv(name)),
            Clock.system());

    @Override
    protected ModelClient client() {
        return client;
    }

    @Override
    protected String chatModel() {
        return Optional.ofNullable(System.getenv("ANTHROPIC_MODEL")).orElse("claude-haiku-4-5-20251001");
    }

    @Override
    protected Optional<String> embeddingModel() {
        return Optional.empty();
    }

    @Override
    protected Optional<String> slowChatModel() {
        return Optional.empty();
    }
}
