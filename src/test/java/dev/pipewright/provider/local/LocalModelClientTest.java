package dev.pipewright.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalModelClientTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();
    private static final LocalModelClient CLIENT = new LocalModelClient(LocalModelSettings.defaults(), EMBEDDER);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PNG = "data:image/png;base64,aGVsbG8=";

    @TempDir
    Path dir;

    @Test
    void embeds_a_batch_with_the_embedding_model() {
        // given
        ModelRequest.Embedding request = new ModelRequest.Embedding(List.of("first text", "second text"));

        // when
        ModelResponse.Embedding response = CLIENT.embed(request, options(LocalModelClient.EMBEDDER));

        // then
        assertThat(response.model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(response.vectors()).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(384));
        assertThat(response.usage().inputTokens()).isGreaterThanOrEqualTo(4);
        assertThat(response.usage().outputTokens()).isZero();
    }

    @Test
    void classifies_the_last_user_message() {
        // given
        ModelRequest.Chat request = ModelRequest.Chat.of(
                ChatMessage.system("Classify the text."),
                ChatMessage.user("This Agreement shall be governed by the laws of England and Wales."));

        // when
        ModelResponse.Chat response = CLIENT.chat(request, options("local-classifier"));

        // then
        assertThat(response.text()).isEqualTo("legal");
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.model()).isEqualTo("local-classifier");
        assertThat(response.usage().inputTokens())
                .isEqualTo(EMBEDDER.countTokens(request.messages().get(1).text()));
        assertThat(response.usage().outputTokens()).isEqualTo(1);
    }

    @Test
    void summarises_extracts_and_reads_images_by_model_name() throws IOException {
        // given
        LocalModelSettings defaults = LocalModelSettings.defaults();
        LocalModelClient client = new LocalModelClient(
                new LocalModelSettings(
                        defaults.classifier(),
                        1,
                        Optional.empty(),
                        FakeTesseract.reading(dir).toString(),
                        "eng"),
                EMBEDDER);
        ModelRequest.Chat text = ModelRequest.Chat.of(
                ChatMessage.user("Rust compiles to fast native code. Rust prevents data races at compile time."));
        ModelRequest.Chat image = ModelRequest.Chat.of(new ChatMessage(
                ChatMessage.Role.USER, List.of(new ContentPart.Text("What does it say?"), new ContentPart.Image(PNG))));

        // when
        String summary = client.chat(text, options("local-summarizer")).text();
        String entities = client.chat(
                        ModelRequest.Chat.of(ChatMessage.user("Mail bob@example.com")), options("local-extractor"))
                .text();
        ModelResponse.Chat ocr = client.chat(image, options("local-ocr"));

        // then
        assertThat(summary).startsWith("Rust").endsWith(".").doesNotContain(". Rust");
        assertThat(entities).contains("\"emails\":[\"bob@example.com\"]");
        assertThat(ocr.text()).isEqualTo("read png image of 5 bytes in eng");
        assertThat(ocr.usage().inputTokens()).isZero();
        assertThat(ocr.usage().outputTokens()).isPositive();
    }

    @Test
    void uses_the_configured_classifier_head(@TempDir Path headDir) throws IOException {
        // given
        Path file = headDir.resolve("head.json");
        new LogisticHead(List.of("spam", "ham"), new double[2][384], new double[] {-3, 3}).save(file);
        LocalModelSettings defaults = LocalModelSettings.defaults();
        LocalModelClient client = new LocalModelClient(
                new LocalModelSettings(defaults.classifier(), 3, Optional.of(file), "tesseract", "eng"), EMBEDDER);

        // when
        String label = client.chat(ModelRequest.Chat.of(ChatMessage.user("Hello")), options("local-classifier"))
                .text();

        // then
        assertThat(label).isEqualTo("ham");
    }

    @Test
    void names_an_unreadable_classifier_head_file() {
        // given
        Path missing = dir.resolve("missing-head.json");
        LocalModelSettings defaults = LocalModelSettings.defaults();

        // then
        assertThatThrownBy(() -> new LocalModelClient(
                        new LocalModelSettings(defaults.classifier(), 3, Optional.of(missing), "tesseract", "eng"),
                        EMBEDDER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing-head.json");
    }

    @Test
    void refuses_a_chat_on_the_embedding_model() {
        assertInvalidRequest(
                () -> CLIENT.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("all-minilm-l6-v2-q")),
                "all-minilm-l6-v2-q is an embedding model");
    }

    @Test
    void refuses_embeddings_from_a_chat_model() {
        assertInvalidRequest(
                () -> CLIENT.embed(new ModelRequest.Embedding(List.of("hi")), options("local-summarizer")),
                "local-summarizer is a chat model");
    }

    @Test
    void lists_the_known_models_for_an_unknown_name() {
        String known = "all-minilm-l6-v2-q, local-classifier, local-summarizer, local-extractor, local-ocr";
        assertInvalidRequest(
                () -> CLIENT.chat(ModelRequest.Chat.of(ChatMessage.user("hi")), options("local-poet")), known);
        assertInvalidRequest(() -> CLIENT.embed(new ModelRequest.Embedding(List.of("hi")), options("gpt-4")), known);
    }

    @Test
    void refuses_requests_without_the_input_the_model_needs() {
        assertInvalidRequest(
                () -> CLIENT.chat(
                        ModelRequest.Chat.of(ChatMessage.system("Only a system prompt")), options("local-extractor")),
                "needs a user message");
        assertInvalidRequest(
                () -> CLIENT.chat(ModelRequest.Chat.of(ChatMessage.user("   ")), options("local-classifier")),
                "needs text");
        assertInvalidRequest(
                () -> CLIENT.chat(ModelRequest.Chat.of(ChatMessage.user("no image here")), options("local-ocr")),
                "needs an image");
        assertInvalidRequest(
                () -> CLIENT.embed(new ModelRequest.Embedding(List.of("ok", "")), options("all-minilm-l6-v2-q")),
                "input 1 is blank");
    }

    @Test
    void fails_with_a_timeout_when_the_model_takes_longer_than_the_call_allows() throws IOException {
        // given
        LocalModelSettings defaults = LocalModelSettings.defaults();
        LocalModelClient client = new LocalModelClient(
                new LocalModelSettings(
                        defaults.classifier(),
                        3,
                        Optional.empty(),
                        FakeTesseract.hanging(dir).toString(),
                        "eng"),
                EMBEDDER);
        ModelRequest.Chat image =
                ModelRequest.Chat.of(new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.Image(PNG))));

        // then
        assertThatThrownBy(() -> client.chat(image, new CallOptions("local-ocr", Duration.ofMillis(200), "key")))
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error())
                .isInstanceOf(ModelError.Timeout.class);
    }

    @Test
    void stops_at_once_when_the_calling_thread_is_interrupted() {
        // given
        ModelRequest.Chat request = ModelRequest.Chat.of(ChatMessage.user("Some text to classify."));
        Thread.currentThread().interrupt();

        // when
        ThrowingCallable call = () -> CLIENT.chat(request, options("local-classifier"));

        // then
        try {
            assertThatThrownBy(call)
                    .isInstanceOf(ModelException.class)
                    .extracting(e -> ((ModelException) e).error())
                    .isInstanceOfSatisfying(
                            ModelError.Timeout.class,
                            error -> assertThat(error.message()).contains("interrupted"));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void reports_ocr_as_unavailable_when_tesseract_is_missing() {
        // given
        LocalModelSettings defaults = LocalModelSettings.defaults();
        LocalModelClient client = new LocalModelClient(
                new LocalModelSettings(defaults.classifier(), 3, Optional.empty(), "pipewright-no-tesseract", "eng"),
                EMBEDDER);
        ModelRequest.Chat image =
                ModelRequest.Chat.of(new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.Image(PNG))));

        // then
        assertThatThrownBy(() -> client.chat(image, options("local-ocr")))
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error())
                .isInstanceOfSatisfying(
                        ModelError.Unavailable.class,
                        error -> assertThat(error.retryable()).isTrue());
    }

    private static CallOptions options(String model) {
        return new CallOptions(model, TIMEOUT, "idempotency-key");
    }

    private static void assertInvalidRequest(ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(ModelException.class)
                .extracting(e -> ((ModelException) e).error())
                .isInstanceOfSatisfying(
                        ModelError.InvalidRequest.class,
                        error -> assertThat(error.message()).contains(messagePart));
    }
}
