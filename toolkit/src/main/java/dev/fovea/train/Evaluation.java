package dev.fovea.train;

import dev.fovea.data.Dataset;
import dev.fovea.model.Network;

/**
 * Accuracy, per-class accuracy (recall) and the confusion matrix ({@code confusion[true][predicted]}).
 * A class with no samples has per-class accuracy NaN.
 */
public record Evaluation(int n, double accuracy, double[] perClass, long[][] confusion) {

    public static Evaluation of(int[] predicted, int[] labels, int classes) {
        long[][] conf = new long[classes][classes];
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            conf[labels[i]][predicted[i]]++;
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        double[] per = new double[classes];
        for (int c = 0; c < classes; c++) {
            long row = 0;
            for (long v : conf[c]) {
                row += v;
            }
            per[c] = row == 0 ? Double.NaN : (double) conf[c][c] / row;
        }
        return new Evaluation(labels.length, labels.length == 0 ? Double.NaN : (double) correct / labels.length, per, conf);
    }

    /** Evaluation-mode predictions of {@code net} on {@code data}, in chunks of {@code batchSize}. */
    public static Evaluation run(Network net, Dataset data, int batchSize) {
        if (data.classNames().size() != net.classes()) {
            throw new IllegalArgumentException("eval: the data has " + data.classNames().size() + " classes, the model " + net.classes());
        }
        int[] pred = net.logits(data.images(), batchSize).argmaxRows();
        return of(pred, data.labels(), net.classes());
    }
}
