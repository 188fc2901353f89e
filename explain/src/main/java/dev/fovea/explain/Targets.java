package dev.fovea.explain;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The class each sample's attribution explains: its label, the model's prediction, or one given class. */
public final class Targets {
    private Targets() {
    }

    /**
     * Resolves {@code label}, {@code pred}, a class index or a class name to one class per sample; {@code labels}
     * may be {@code null} when the input has none (then {@code label} is refused). Errors are
     * {@link InvalidOptionException}s of option {@code target}.
     */
    public static int[] resolve(String spec, Classifier model, Tensor x, int[] labels) {
        String s = spec == null ? "pred" : spec.trim();
        int n = x.dim(0);
        switch (s.toLowerCase(Locale.ROOT)) {
            case "label":
                if (labels == null) {
                    throw new InvalidOptionException("target", "target label: the input has no labels (use pred or a class)");
                }
                if (labels.length != n) {
                    throw new InvalidOptionException("target", "target label: expected " + n + " labels, got " + labels.length);
                }
                return labels.clone();
            case "pred":
            case "prediction":
                return model.predict(x);
            default:
                int c = parseClass(s, model.classNames());
                int[] t = new int[n];
                Arrays.fill(t, c);
                return t;
        }
    }

    private static int parseClass(String s, List<String> names) {
        int idx = names.indexOf(s);
        if (idx >= 0) {
            return idx;
        }
        try {
            int c = Integer.parseInt(s);
            if (c >= 0 && c < names.size()) {
                return c;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new InvalidOptionException("target", "target: expected label, pred, a class index in [0," + names.size() + ") or one of "
                + String.join(", ", names) + ", got '" + s + "'");
    }
}
