package dev.pipewright.provider.local;

import dev.pipewright.model.CallOptions;
import dev.pipewright.model.ChatMessage;
import dev.pipewright.model.ContentPart;
import dev.pipewright.model.ModelClient;
import dev.pipewright.model.ModelError;
import dev.pipewright.model.ModelException;
import dev.pipewright.model.ModelRequest;
import dev.pipewright.model.ModelResponse;
import dev.pipewright.model.Usage;
import dev.pipewright.provider.local.internal.TimeBoundTask;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The in-process models behind the {@link ModelClient} seam, chosen by {@link CallOptions#model()}:
 *
 * <ul>
 *   <li>{@value #EMBEDDER}: embeddings (384 dimensions).
 *   <li>{@value #CLASSIFIER}: chat; answers the label of the last user message's text.
 *   <li>{@value #SUMMARIZER}: chat; answers an extractive summary of it.
 *   <li>{@value #EXTRACTOR}: chat; answers its entities as JSON (see {@link Entities#toJson()}).
 *   <li>{@value #OCR}: chat; answers the text in the last user message's last image, a {@code data:} URL.
 * </ul>
 *
 * Chat answers finish with "stop"; usage counts the input text's and the answer's WordPiece tokens (an image counts
 * as no tokens). {@code maxTokens} and {@code temperature} do not apply to these models and are ignored. Each call is
 * one attempt bounded by the call's timeout; a timeout or an interruption fails it with {@link ModelError.Timeout}.
 * Thread safe.
 */
public final class LocalModelClient implements ModelClient {
    public static final String EMBEDDER = LocalEmbedder.MODEL_NAME;
    public static final String CLASSIFIER = "local-classifier";
    public static final String SUMMARIZER = "local-summarizer";
    public static final String EXTRACTOR = "local-extractor";
    public static final String OCR = "local-ocr";
    public static final List<String> MODELS = List.of(EMBEDDER, CLASSIFIER, SUMMARIZER, EXTRACTOR, OCR);

    private static final String STOP = "stop";

    private final LocalEmbedder embedder;
    private final LocalClassifier classifier;
    private final LocalSummarizer summarizer;
    private final LocalExtractor extractor;
    private final LocalOcr ocr;

    public LocalModelClient(LocalModelSettings settings) {
        this(settings, new LocalEmbedder());
    }

    /**
     * @throws IllegalArgumentException when the configured classifier head cannot be read; the message names the
     *     file
     */
    public LocalModelClient(LocalModelSettings settings, LocalEmbedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.classifier = new LocalClassifier(
                embedder, settings.classifier(), settings.classifierHead().map(LocalModelClient::loadHead));
        this.summarizer = new LocalSummarizer(embedder, settings.summarySentences());
        this.extractor = new LocalExtractor();
        this.ocr = new LocalOcr(settings.ocrCommand(), settings.ocrLanguage());
    }

    @Override
    public ModelResponse.Chat chat(ModelRequest.Chat request, CallOptions options) {
        String model = options.model();
        if (!request.providerFields().isEmpty()) {
            throw new ModelException(new ModelError.InvalidRequest("the in-process model " + model + " cannot honour "
                    + new TreeSet<>(request.providerFields().keySet()) + "; send them to an OpenAI-compatible model"));
        }
        if (!request.tools().isEmpty()) {
            throw new ModelException(new ModelError.InvalidRequest("the in-process model " + model
                    + " cannot call tools; send a request with tools to an OpenAI or Anthropic model"));
        }
        Duration timeout = Objects.requireNonNull(options.timeout(), "timeout");
        Function<String, String> answer = chatModel(model, timeout);
        boolean ocrCall = model.equals(OCR);
        String input = ocrCall ? userImage(request) : userText(request, model);
        return TimeBoundTask.run(
                () -> {
                    String text = answer.apply(input);
                    long inputTokens = ocrCall ? 0 : embedder.countTokens(input);
                    Usage usage = new Usage(inputTokens, embedder.countTokens(text), 0);
                    return new ModelResponse.Chat(model, text, STOP, usage);
                },
                timeout,
                model);
    }

    @Override
    public ModelResponse.Embedding embed(ModelRequest.Embedding request, CallOptions options) {
        String model = options.model();
        if (!EMBEDDER.equals(model)) {
            throw MODELS.contains(model)
                    ? invalid(model + " is a chat model and does not make embeddings; use " + EMBEDDER)
                    : unknown(model);
        }
        for (int i = 0; i < request.inputs().size(); i++) {
            if (request.inputs().get(i) == null || request.inputs().get(i).isBlank()) {
                throw invalid("embedding input " + i + " is blank; " + EMBEDDER + " needs text");
            }
        }
        Embeddings embeddings = TimeBoundTask.run(
                () -> embedder.embed(request.inputs()), Objects.requireNonNull(options.timeout(), "timeout"), model);
        return new ModelResponse.Embedding(model, embeddings.vectors(), new Usage(embeddings.inputTokens(), 0, 0));
    }

    /** The function from the request's input (text, or an image URL for OCR) to the answer's text. */
    private Function<String, String> chatModel(String model, Duration timeout) {
        return switch (model) {
            case CLASSIFIER -> text -> classifier.classify(text).label();
            case SUMMARIZER -> summarizer::summarize;
            case EXTRACTOR -> text -> extractor.extract(text).toJson();
            case OCR -> imageUrl -> ocr.read(imageUrl, timeout);
            case EMBEDDER -> throw invalid(EMBEDDER + " is an embedding model and does not answer chat requests");
            default -> throw unknown(model);
        };
    }

    private static ChatMessage lastUserMessage(ModelRequest.Chat request, String model) {
        List<ChatMessage> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i);
            }
        }
        throw invalid(model + " needs a user message, but the request has none");
    }

    private static String userText(ModelRequest.Chat request, String model) {
        String text = lastUserMessage(request, model).text();
        if (text.isBlank()) {
            throw invalid(model + " needs text in the last user message, but it has none");
        }
        return text;
    }

    private static String userImage(ModelRequest.Chat request) {
        List<ContentPart> parts = lastUserMessage(request, OCR).content();
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (parts.get(i) instanceof ContentPart.Image image) {
                return image.url();
            }
        }
        throw invalid(OCR + " needs an image in the last user message, but it has none");
    }

    private static LogisticHead loadHead(Path file) {
        try {
            return LogisticHead.load(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the classifier head " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    private static ModelException unknown(String model) {
        return invalid("unknown local model '" + model + "'; the local models are " + String.join(", ", MODELS));
    }

    private static ModelException invalid(String message) {
        return new ModelException(new ModelError.InvalidRequest(message));
    }
}
