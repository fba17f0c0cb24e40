package dev.pipewright.provider.local.internal;

import java.util.List;

/** The JSON shape of a saved logistic-regression head; {@code format} names the version of this shape. */
public record LogisticHeadFile(String format, List<String> labels, double[][] weights, double[] bias) {
    public static final String FORMAT = "pipewright-logistic-head/1";
}
