package dev.pipewright.provider.local.internal;

import java.util.List;

/** Arithmetic on embedding vectors. Vectors of one call must have the same length; callers guarantee it. */
public final class Vectors {
    private Vectors() {}

    public static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    public static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    /** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
    public static double cosine(float[] a, float[] b) {
        double norms = norm(a) * norm(b);
        return norms == 0 ? 0 : dot(a, b) / norms;
    }

    /** The element-wise mean of non-empty {@code vectors}. */
    public static float[] mean(List<float[]> vectors) {
        float[] sum = new float[vectors.getFirst().length];
        for (float[] v : vectors) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= vectors.size();
        }
        return sum;
    }

    /**
     * Softmax of {@code scores / temperature}: a lower temperature sharpens the distribution. Shifted by the maximum
     * so large scores cannot overflow.
     */
    public static double[] softmax(double[] scores, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double[] result = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            result[i] = Math.exp((scores[i] - max) / temperature);
            total += result[i];
        }
        for (int i = 0; i < result.length; i++) {
            result[i] /= total;
        }
        return result;
    }

    /** The index of the largest value; the first one on ties. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
