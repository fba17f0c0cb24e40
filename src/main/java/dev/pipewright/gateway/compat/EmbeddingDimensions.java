package dev.pipewright.gateway.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Honours OpenAI's {@code dimensions}: vectors longer than asked are cut to the first {@code dimensions} components
 * and scaled back to unit length, which is how OpenAI shortens its own text-embedding-3 vectors (those models are
 * trained so that a prefix keeps most of the meaning; for other models a prefix is a coarser embedding). Vectors
 * shorter than asked cannot be lengthened, so that is a 400.
 */
public final class EmbeddingDimensions {
    private EmbeddingDimensions() {}

    /** @throws InvalidRequestException when the model's vectors are shorter than {@code dimensions} */
    public static List<float[]> shorten(List<float[]> vectors, int dimensions, String alias) {
        List<float[]> shortened = new ArrayList<>(vectors.size());
        for (float[] vector : vectors) {
            if (vector.length < dimensions) {
                throw new InvalidRequestException(
                        "dimensions: model '" + alias + "' produces " + vector.length
                                + "-dimensional vectors and cannot produce " + dimensions,
                        Optional.of("dimensions"));
            }
            shortened.add(vector.length == dimensions ? vector : unit(vector, dimensions));
        }
        return shortened;
    }

    private static float[] unit(float[] vector, int dimensions) {
        double squares = 0;
        for (int i = 0; i < dimensions; i++) {
            squares += (double) vector[i] * vector[i];
        }
        float[] prefix = new float[dimensions];
        double norm = Math.sqrt(squares);
        for (int i = 0; i < dimensions; i++) {
            prefix[i] = norm == 0 ? 0 : (float) (vector[i] / norm);
        }
        return prefix;
    }
}
