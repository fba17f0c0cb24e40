package dev.pipewright.cost;

import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;

/**
 * Counts tokens from text when a provider reports none: a token per four characters, rounded up, the rule of thumb
 * OpenAI and Anthropic give for English text, plus four tokens of framing per chat message. Such counts are marked
 * estimated wherever they are kept.
 */
final class TokenEstimate {
    private static final int CHARS_PER_TOKEN = 4;
    private static final int TOKENS_PER_MESSAGE = 4;

    private TokenEstimate() {}

    static long input(ModelRequest request) {
        return switch (request) {
            case ModelRequest.Chat chat -> {
                long tokens = 0;
                for (ChatMessage message : chat.messages()) {
                    tokens += TOKENS_PER_MESSAGE;
                    for (ContentPart part : message.content()) {
                        if (part instanceof ContentPart.Text text) {
                            tokens += of(text.text());
                        }
                    }
                }
                yield tokens;
            }
            case ModelRequest.Embedding embedding ->
                embedding.inputs().stream().mapToLong(TokenEstimate::of).sum();
        };
    }

    static long output(ModelResponse response) {
        return switch (response) {
            case ModelResponse.Chat chat -> of(chat.text());
            case ModelResponse.Embedding ignored -> 0;
        };
    }

    static long of(String text) {
        return ofChars(text.length());
    }

    static long ofChars(long chars) {
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
}
