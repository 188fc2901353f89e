package dev.fovea.model;

import java.util.Arrays;

/**
 * When a prediction counts as adversarial, per sample: a value, as Foolbox's {@code Misclassification(labels)} and
 * {@code TargetedMisclassification(targets)}, written once and used by every attack for its success test.
 *
 * <ul>
 * <li>{@link #misclassification(int[])}: sample {@code i} is adversarial when the prediction is not
 *     {@code labels[i]}.</li>
 * <li>{@link #targeted(int[])}: sample {@code i} is adversarial when the prediction is {@code targets[i]}.</li>
 * <li>{@link #of(int[], int[])}: per sample one or the other, {@code targets[i] >= 0} for a target and
 *     {@code -1} for any wrong class: the form an attack run resolves its target option into.</li>
 * </ul>
 *
 * <p>Sample {@code i}'s {@link #aim(int)} is the class a loss is measured against: its target when it has one,
 * else its label. Arrays given are copied; the criterion is immutable.
 */
public final class Criterion {
    private static final int NONE = -1;

    private final int[] labels;
    private final int[] targets;

    private Criterion(int[] labels, int[] targets) {
        this.labels = labels;
        this.targets = targets;
    }

    /** Untargeted: sample {@code i} is adversarial when predicted as any class but {@code labels[i]}. */
    public static Criterion misclassification(int[] labels) {
        require(labels, "labels");
        int[] y = labels.clone();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw new IllegalArgumentException("criterion: expected labels >= 0, got " + y[i] + " at sample " + i);
            }
        }
        int[] t = new int[y.length];
        Arrays.fill(t, NONE);
        return new Criterion(y, t);
    }

    /** Targeted: sample {@code i} is adversarial when predicted as {@code targets[i]}; labels are unknown ({@link #label} is -1). */
    public static Criterion targeted(int[] targets) {
        require(targets, "targets");
        int[] t = targets.clone();
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 0) {
                throw new IllegalArgumentException("criterion: expected targets >= 0, got " + t[i] + " at sample " + i);
            }
        }
        int[] y = new int[t.length];
        Arrays.fill(y, NONE);
        return new Criterion(y, t);
    }

    /**
     * Per sample: targeted at {@code targets[i]} when {@code targets[i] >= 0}, else untargeted ({@code targets[i] == -1})
     * against {@code labels[i]}. The labels are kept for both (an attack may use them, say to rank the wrong classes).
     */
    public static Criterion of(int[] labels, int[] targets) {
        require(labels, "labels");
        require(targets, "targets");
        if (labels.length != targets.length) {
            throw new IllegalArgumentException("criterion: expected as many targets as labels, got " + targets.length + " and " + labels.length);
        }
        int[] y = labels.clone();
        int[] t = targets.clone();
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || t[i] < NONE) {
                throw new IllegalArgumentException("criterion: expected a label >= 0 and a target >= -1, got " + y[i] + " and " + t[i] + " at sample " + i);
            }
        }
        return new Criterion(y, t);
    }

    private static void require(int[] a, String what) {
        if (a == null) {
            throw new IllegalArgumentException("criterion: expected " + what + ", got null");
        }
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Whether prediction {@code predicted} of sample {@code i} is adversarial: its target reached, or (untargeted) not its label. */
    public boolean isAdversarial(int i, int predicted) {
        return targets[i] >= 0 ? predicted == targets[i] : predicted != labels[i];
    }

    /** {@link #isAdversarial} of every sample, {@code predictions[i]} being sample {@code i}'s. */
    public boolean[] test(int[] predictions) {
        if (predictions.length != size()) {
            throw new IllegalArgumentException("criterion: expected " + size() + " predictions, got " + predictions.length);
        }
        boolean[] out = new boolean[predictions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = isAdversarial(i, predictions[i]);
        }
        return out;
    }

    /** Whether some sample has a target (all do for {@link #targeted(int[])}, none for {@link #misclassification(int[])}). */
    public boolean targeted() {
        for (int t : targets) {
            if (t >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether sample {@code i} has a target. */
    public boolean targeted(int i) {
        return targets[i] >= 0;
    }

    /** Sample {@code i}'s target class, {@code -1} when it has none. */
    public int target(int i) {
        return targets[i];
    }

    /** Sample {@code i}'s label, {@code -1} when unknown (a {@link #targeted(int[])} criterion). */
    public int label(int i) {
        return labels[i];
    }

    /** The class sample {@code i}'s loss is measured against: its target when it has one, else its label. */
    public int aim(int i) {
        return targets[i] >= 0 ? targets[i] : labels[i];
    }

    /** A copy of the labels ({@code -1} where unknown). */
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the targets ({@code -1} where untargeted). */
    public int[] targets() {
        return targets.clone();
    }

    /** The criterion of the samples {@code idx}, in that order. */
    public Criterion gather(int[] idx) {
        int[] y = new int[idx.length];
        int[] t = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = labels[idx[i]];
            t[i] = targets[idx[i]];
        }
        return new Criterion(y, t);
    }

    @Override
    public String toString() {
        return "Criterion(labels=" + Arrays.toString(labels) + ", targets=" + Arrays.toString(targets) + ")";
    }
}
