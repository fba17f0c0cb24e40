package dev.pipewright.provider.local;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantized) run in-process through ONNX Runtime: 384-dimensional, L2-normalised sentence
 * embeddings, offline (the model ships inside the LangChain4j jar). The model is loaded on the first call, once per
 * process, which takes about a second. Thread safe.
 *
 * <p>Token counts come from the model's own WordPiece tokenizer (the BERT uncased vocabulary): the embedding count is
 * what the model read, the {@link #countTokens} count leaves out the [CLS]/[SEP] markers, as a chat usage would.
 */
public final class LocalEmbedder {
    public static final String MODEL_NAME = "all-minilm-l6-v2-q";
    public static final int DIMENSIONS = 384;

    private static final Logger LOG = LoggerFactory.getLogger(LocalEmbedder.class);

    /**
     * Embeds {@code texts} in one batched call (the library spreads the batch over its own pool of CPU threads).
     *
     * @throws IllegalArgumentException when {@code texts} is empty or one of them is blank, which the model cannot
     *     embed; the message names the index
     */
    public Embeddings embed(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("there is nothing to embed");
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new IllegalArgumentException("input " + i + " is blank; the embedding model needs text");
            }
            segments.add(TextSegment.from(texts.get(i)));
        }
        long start = System.nanoTime();
        Response<List<Embedding>> response = Loaded.MODEL.embedAll(segments);
        LOG.debug("embedded {} texts in {} ms", texts.size(), (System.nanoTime() - start) / 1_000_000);
        List<float[]> vectors =
                response.content().stream().map(Embedding::vector).toList();
        return new Embeddings(vectors, inputTokens(response.tokenUsage()));
    }

    /** The vector of one text; see {@link #embed(List)}. */
    public float[] embed(String text) {
        return embed(List.of(text)).vectors().getFirst();
    }

    /**
     * Loads the model now rather than on the first call, so a server can be warm before it takes traffic; returns
     * once the model has embedded a text. Idempotent.
     */
    public void warmUp() {
        embed("warm up");
    }

    /** The number of WordPiece tokens in {@code text}, without special tokens; 0 for blank text. */
    public long countTokens(String text) {
        if (text.isBlank()) {
            return 0;
        }
        return Loaded.TOKENIZER.estimateTokenCountInText(text);
    }

    private static long inputTokens(TokenUsage usage) {
        return usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    }

    /**
     * Loads the model when first touched; the JVM's class initialisation makes that happen once per process and
     * safely across threads, and every instance shares the one ONNX session and its thread pool.
     */
    private static final class Loaded {
        static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL = load();
        static final HuggingFaceTokenCountEstimator TOKENIZER = new HuggingFaceTokenCountEstimator();

        private static AllMiniLmL6V2QuantizedEmbeddingModel load() {
            long start = System.nanoTime();
            AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
            LOG.info("loaded {} in {} ms", MODEL_NAME, (System.nanoTime() - start) / 1_000_000);
            return model;
        }
    }
}
