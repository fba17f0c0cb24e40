import dev.pipewright.provider.local.LocalEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Throughput of the in-process embedder (all-MiniLM-L6-v2, quantized, ONNX Runtime on the CPU): texts per second
 * embedded one at a time and in batches of 32, in alternating rounds of the same texts so both see the same machine.
 */
public final class LocalEmbeddings {
    static final int TEXTS = 256;
    static final int ROUNDS = 5;

    public static void main(String[] args) {
        LocalEmbedder embedder = new LocalEmbedder();
        List<String> texts = texts();
        long loadStart = System.nanoTime();
        embedder.embed("warm up the model");
        System.out.printf("model loaded and first text embedded in %d ms%n", (System.nanoTime() - loadStart) / 1_000_000);
        round(embedder, texts, 1);
        round(embedder, texts, 32);
        double[] single = new double[ROUNDS];
        double[] batched = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            single[round] = round(embedder, texts, 1);
            batched[round] = round(embedder, texts, 32);
        }
        System.out.printf("| batch | texts/s (median of %d rounds of %d texts) | min | max |%n", ROUNDS, TEXTS);
        System.out.println("| --- | --- | --- | --- |");
        report(1, single);
        report(32, batched);
        System.out.printf("batch 32 / batch 1 = %.2fx%n", median(batched) / median(single));
    }

    static double round(LocalEmbedder embedder, List<String> texts, int batch) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batch) {
            embedder.embed(texts.subList(from, Math.min(texts.size(), from + batch)));
        }
        return texts.size() / ((System.nanoTime() - start) / 1e9);
    }

    static List<String> texts() {
        String[] subjects = {"The cluster", "Our quarterly revenue", "The contract", "This poem", "The new API"};
        String[] verbs = {"grew", "failed", "restarted", "was signed", "described"};
        String[] objects = {"after the upgrade", "in the third quarter", "under the new terms", "in the autumn light",
            "without a single retry"};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < TEXTS; i++) {
            texts.add(subjects[i % 5] + " " + verbs[(i / 5) % 5] + " " + objects[(i / 25) % 5] + ", note " + i + ".");
        }
        return texts;
    }

    static void report(int batch, double[] rates) {
        System.out.printf("| %d | %.0f | %.0f | %.0f |%n", batch, median(rates),
                Arrays.stream(rates).min().orElseThrow(), Arrays.stream(rates).max().orElseThrow());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
