package dev.pipewright.cli;

import dev.pipewright.provider.local.ClassifierTrainer;
import dev.pipewright.provider.local.LabelledText;
import dev.pipewright.provider.local.LocalEmbedder;
import dev.pipewright.provider.local.LogisticHead;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pipewright train-classifier --input FILE --out HEAD}: trains the local classifier's logistic-regression head
 * on labelled texts ({@code {"text": ..., "label": ...}} per line) and writes it where
 * {@code providers.NAME.classifier.head} can name it.
 */
@Command(
        name = "train-classifier",
        description = "Trains the local classifier's head from a JSON-lines file of labelled texts.")
final class TrainClassifierCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "FILE",
            description = "Labelled texts, JSON lines.")
    Path input;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "FILE",
            description = "Where to write the head.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(input)) {
            throw new ParameterException(spec.commandLine(), "--input: no such file: " + input);
        }
        List<LabelledText> examples = readExamples();
        LocalEmbedder embedder = new LocalEmbedder();
        LogisticHead head = ClassifierTrainer.train(input, embedder);
        head.save(out);
        long right = examples.stream()
                .filter(example ->
                        head.classify(embedder.embed(example.text())).label().equals(example.label()))
                .count();
        PrintWriter printer = spec.commandLine().getOut();
        printer.printf(
                "%s: %d labels %s from %d examples; %.1f%% of them classified right; set"
                        + " providers.NAME.classifier.head to this file%n",
                out, head.labels().size(), head.labels(), examples.size(), 100.0 * right / examples.size());
        printer.flush();
        return 0;
    }

    private List<LabelledText> readExamples() {
        try {
            return ClassifierTrainer.read(input);
        } catch (IllegalArgumentException | IOException e) {
            throw new ParameterException(spec.commandLine(), "--input: " + e.getMessage());
        }
    }
}
