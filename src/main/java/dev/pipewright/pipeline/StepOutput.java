package dev.pipewright.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/** What a finished step produced: the text of a chat step or the vectors of an embedding step. */
public sealed interface StepOutput permits StepOutput.Text, StepOutput.Vectors {

    /**
     * The output as it appears in results and templates: a JSON string for text; for vectors one array of numbers
     * when there is one vector (an embedding step embeds one text), else an array of such arrays.
     */
    JsonNode toJson();

    record Text(String text) implements StepOutput {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public JsonNode toJson() {
            return TextNode.valueOf(text);
        }
    }

    /** Embedding vectors. The arrays are shared, not copied (they can be large): treat them as read-only. */
    record Vectors(List<float[]> vectors) implements StepOutput {
        public Vectors {
            vectors = List.copyOf(vectors);
        }

        /**
         * The vectors wrapped as they are, not copied into a tree of number nodes: a result with a 384-dimension
         * embedding would otherwise allocate hundreds of nodes per run, only to be written out once.
         */
        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.pojoNode(vectors.size() == 1 ? vectors.getFirst() : vectors);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Vectors that
                    && vectors.size() == that.vectors.size()
                    && IntStream.range(0, vectors.size())
                            .allMatch(i -> Arrays.equals(vectors.get(i), that.vectors.get(i)));
        }

        @Override
        public int hashCode() {
            int hash = 1;
            for (float[] vector : vectors) {
                hash = 31 * hash + Arrays.hashCode(vector);
            }
            return hash;
        }

        @Override
        public String toString() {
            return "Vectors[" + vectors.size() + " x " + (vectors.isEmpty() ? 0 : vectors.getFirst().length) + "]";
        }
    }
}
