package dev.pipewright.jobs.internal;

import dev.pipewright.pipeline.StepOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Step outputs as journal columns: a kind ({@code text} or {@code vectors}) and a text. Vectors are written
 * compactly and exactly: each vector as its little-endian float32 bytes in base64, each ended by {@code ;} (so an
 * empty text is no vectors and {@code ;} one empty vector).
 */
public final class StepOutputCodec {
    public static final String TEXT = "text";
    public static final String VECTORS = "vectors";

    private StepOutputCodec() {}

    public static String kind(StepOutput output) {
        return switch (output) {
            case StepOutput.Text ignored -> TEXT;
            case StepOutput.Vectors ignored -> VECTORS;
        };
    }

    public static String encode(StepOutput output) {
        return switch (output) {
            case StepOutput.Text text -> text.text();
            case StepOutput.Vectors vectors -> encodeVectors(vectors.vectors());
        };
    }

    public static StepOutput decode(String kind, String encoded) {
        return switch (kind) {
            case TEXT -> new StepOutput.Text(encoded);
            case VECTORS -> new StepOutput.Vectors(decodeVectors(encoded));
            default -> throw new IllegalArgumentException("unknown step output kind '" + kind + "'");
        };
    }

    private static String encodeVectors(List<float[]> vectors) {
        StringBuilder text = new StringBuilder();
        for (float[] vector : vectors) {
            ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(vector);
            text.append(Base64.getEncoder().encodeToString(bytes.array())).append(';');
        }
        return text.toString();
    }

    private static List<float[]> decodeVectors(String encoded) {
        List<float[]> vectors = new ArrayList<>();
        if (encoded.isEmpty()) {
            return vectors;
        }
        if (!encoded.endsWith(";")) {
            throw new IllegalArgumentException("journaled vectors must end with ';'");
        }
        for (String part : encoded.substring(0, encoded.length() - 1).split(";", -1)) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(part)).order(ByteOrder.LITTLE_ENDIAN);
            float[] vector = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(vector);
            vectors.add(vector);
        }
        return vectors;
    }
}
