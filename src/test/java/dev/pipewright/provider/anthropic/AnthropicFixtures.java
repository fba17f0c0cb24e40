package dev.pipewright.provider.anthropic;

import dev.pipewright.config.ProviderConfig;
import dev.pipewright.config.ProviderKind;
import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.Clock;
import dev.pipewright.model.ModelRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Fixtures shaped like Anthropic's API reference, and a client pointed at a local server. */
final class AnthropicFixtures {
    static final String API_KEY = "sk-ant-api03-test-key-that-must-never-leak";
    static final String MODEL = "claude-sonnet-4-20250514";

    private AnthropicFixtures() {}

    static AnthropicModelClient client(URI baseUrl) {
        ProviderConfig provider = new ProviderConfig(
                "anthropic", ProviderKind.ANTHROPIC, Optional.of("ANTHROPIC_API_KEY"), Optional.of(baseUrl));
        return new AnthropicModelClient(
                provider,
                name -> name.equals("ANTHROPIC_API_KEY") ? Optional.of(API_KEY) : Optional.empty(),
                Clock.system());
    }

    static String read(String name) {
        try (InputStream in = AnthropicFixtures.class.getResourceAsStream("/anthropic/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelRequest.Chat hello() {
        return ModelRequest.Chat.of(ChatMessage.system("Answer briefly."), ChatMessage.user("Hello, Claude"));
    }

    static CallOptions options() {
        return new CallOptions(MODEL, Duration.ofSeconds(5), "call-1");
    }
}
