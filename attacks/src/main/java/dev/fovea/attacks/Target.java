package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * What an attack aims for: any wrong class (untargeted), or a target class per sample: a random other class,
 * the class the model finds least likely, or one given class.
 */
public sealed interface Target {
    /** Any class but the true one. */
    record Untargeted() implements Target {
    }

    /** A class drawn uniformly among the wrong ones, per sample, from the attack's seed. */
    record RandomClass() implements Target {
    }

    /** The class with the lowest clean logit. */
    record LeastLikely() implements Target {
    }

    /** One given class for every sample. */
    record Fixed(int classIndex) implements Target {
    }

    Target UNTARGETED = new Untargeted();

    default boolean targeted() {
        return !(this instanceof Untargeted);
    }

    /**
     * Target class per sample ({@code -1} when untargeted), the targets of {@link dev.fovea.model.Criterion#of}; a
     * class the model lacks is an {@link InvalidOptionException} on option {@code target}.
     */
    default int[] resolve(Classifier model, Tensor x, int[] labels, long seed) {
        int n = labels.length;
        int k = model.classes();
        int[] t = new int[n];
        if (this instanceof Fixed f) {
            if (f.classIndex() < 0 || f.classIndex() >= k) {
                throw new InvalidOptionException("target", "target: class " + f.classIndex() + " does not exist (the model has " + k + " classes)");
            }
            java.util.Arrays.fill(t, f.classIndex());
        } else if (this instanceof RandomClass) {
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
            for (int i = 0; i < n; i++) {
                int c = rng.nextInt(k - 1);
                t[i] = c >= labels[i] ? c + 1 : c;
            }
        } else if (this instanceof LeastLikely) {
            Tensor z = model.logits(x);
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (z.data()[i * k + j] < z.data()[i * k + best]) {
                        best = j;
                    }
                }
                t[i] = best;
            }
        } else {
            java.util.Arrays.fill(t, -1);
        }
        return t;
    }

    /**
     * Parses {@code random}, {@code least-likely}, a class index, or a class name ({@code null}: untargeted); anything
     * else is an {@link InvalidOptionException} on option {@code target}.
     */
    static Target parse(String s, java.util.List<String> classNames) {
        if (s == null) {
            return UNTARGETED;
        }
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "random":
                return new RandomClass();
            case "least-likely":
            case "least_likely":
                return new LeastLikely();
            default:
                int idx = classNames.indexOf(s);
                if (idx >= 0) {
                    return new Fixed(idx);
                }
                try {
                    return new Fixed(Integer.parseInt(s.trim()));
                } catch (NumberFormatException e) {
                    throw new InvalidOptionException("target", "target: unknown class '" + s + "' (random, least-likely, a class index or one of: "
                            + String.join(", ", classNames) + ")");
                }
        }
    }
}
