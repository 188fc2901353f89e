package dev.fovea.attacks.certify;

import dev.fovea.kernels.Parallel;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Randomized smoothing (Cohen, Rosenfeld &amp; Kolter, "Certified adversarial robustness via randomized smoothing",
 * ICML 2019): from a base classifier {@code f}, the smoothed classifier
 * {@code g(x) = argmax_c P(f(x + delta) = c)}, {@code delta ~ N(0, sigma^2 I)}, whose prediction cannot change
 * within the L2 radius {@code R = sigma * Phi^-1(pA)} of {@code x} when {@code pA} is the probability of its top
 * class (Theorem 1, with {@code pB = 1 - pA}). Both of the paper's algorithms, on Monte-Carlo draws of
 * {@code f} under noise:
 * <ul>
 *   <li>{@link #predict} (PREDICT): counts {@code n} draws; with {@code nA} and {@code nB} the counts of the two
 *       most frequent classes, returns the first unless the two-sided binomial test of {@code nA} in
 *       {@code nA + nB} against 1/2 has a p-value above {@code alpha}, and then abstains. A prediction that does
 *       not abstain is {@code g(x)} with probability at least {@code 1 - alpha} (Proposition 1).</li>
 *   <li>{@link #certify} (CERTIFY): the class {@code cA} most frequent in {@code n0} selection draws, its count
 *       {@code nA} in {@code n} fresh estimation draws, the Clopper-Pearson lower bound {@code pA_lower} at
 *       confidence {@code 1 - alpha} ({@link Binomial#lowerBound}); abstains when {@code pA_lower < 1/2}, else
 *       certifies {@code cA} within {@code R = sigma * Phi^-1(pA_lower)}. With probability at least
 *       {@code 1 - alpha} the certificate is right: {@code g} predicts {@code cA} everywhere within {@code R}.</li>
 * </ul>
 *
 * <p>Inputs are {@code [N,C,H,W]} pixels; the noise is drawn in pixel units and not clipped to the pixel box, as
 * in the paper, whose noise is added before the network's normalisation layer (a model here normalises inside,
 * so {@code sigma} and the radius are in pixel units too). Draw {@code j} of sample {@code index}, in each of the
 * three uses (selection, estimation, prediction), has its own generator seeded by the options' seed, the index, the
 * use and {@code j}: a result does not depend on the classifier's batch size, on the thread count or on which other
 * samples are certified with it. The draws reach the classifier in batches of its {@link Classifier#batchSize()}.
 * Ties among the counts go to the lowest class index (the paper leaves them to NumPy's sort). An abstention has
 * label {@link #ABSTAIN} and radius 0, as in the paper's code.
 */
public final class RandomizedSmoothing {
    /** The label of an abstention. */
    public static final int ABSTAIN = -1;

    /** What the draws are for: each use of one sample draws independent noise. */
    public enum Use {
        SELECTION, ESTIMATION, PREDICTION
    }

    /** PREDICT's outcome for one sample: the class or {@link #ABSTAIN}, the top two classes' counts among {@code draws}, the p-value. */
    public record Prediction(int label, int top, int countA, int countB, int draws, double pValue) {
        public boolean abstained() {
            return label == ABSTAIN;
        }
    }

    /**
     * CERTIFY's outcome for one sample: the certified class or {@link #ABSTAIN}; the class selected, its count
     * among the {@code n0} selection draws and among the {@code n} estimation draws; the lower bound
     * {@code pALower} and the certified L2 radius (0 when abstaining).
     */
    public record Certificate(int label, int selected, int selectionCount, int countA, int draws, double pALower, double radius) {
        public boolean abstained() {
            return label == ABSTAIN;
        }

        /** Whether it certifies {@code trueLabel} at radius {@code r}: Cohen et al.'s "certified correct" at {@code r}. */
        public boolean certifies(int trueLabel, double r) {
            return label == trueLabel && radius >= r;
        }
    }

    private final Classifier base;
    private final SmoothingOptions options;

    public RandomizedSmoothing(Classifier base, SmoothingOptions options) {
        if (base == null || options == null) {
            throw new IllegalArgumentException("smoothing: expected a base classifier and options, got " + base + " and " + options);
        }
        this.base = base;
        this.options = options;
    }

    public Classifier base() {
        return base;
    }

    public SmoothingOptions options() {
        return options;
    }

    /** PREDICT for every sample of {@code x} ({@code [N,C,H,W]}), sample {@code i} drawing as index {@code i}. */
    public List<Prediction> predict(Tensor x) {
        check(x);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < x.dim(0); i++) {
            out.add(predict(x, i, i));
        }
        return out;
    }

    /** PREDICT for sample {@code i} of {@code x}, its noise drawn as the sample numbered {@code index}. */
    public Prediction predict(Tensor x, int i, long index) {
        int[] c = counts(x, i, options.n(), index, Use.PREDICTION);
        int a = top(c, -1);
        int b = top(c, a);
        int nb = b < 0 ? 0 : c[b];
        double p = Binomial.pValue(c[a], c[a] + nb);
        return new Prediction(p > options.alpha() ? ABSTAIN : a, a, c[a], nb, options.n(), p);
    }

    /** CERTIFY for every sample of {@code x} ({@code [N,C,H,W]}), sample {@code i} drawing as index {@code i}. */
    public List<Certificate> certify(Tensor x) {
        check(x);
        List<Certificate> out = new ArrayList<>();
        for (int i = 0; i < x.dim(0); i++) {
            out.add(certify(x, i, i));
        }
        return out;
    }

    /** CERTIFY for sample {@code i} of {@code x}, its noise drawn as the sample numbered {@code index}. */
    public Certificate certify(Tensor x, int i, long index) {
        int[] selection = counts(x, i, options.n0(), index, Use.SELECTION);
        int a = top(selection, -1);
        int nA = counts(x, i, options.n(), index, Use.ESTIMATION)[a];
        double lower = Binomial.lowerBound(nA, options.n(), options.alpha());
        boolean abstain = lower < 0.5;
        return new Certificate(abstain ? ABSTAIN : a, a, selection[a], nA, options.n(), lower,
                abstain ? 0 : Binomial.radius(options.sigma(), lower));
    }

    /**
     * How often the base classifier predicts each class on {@code draws} noisy copies of sample {@code i} of
     * {@code x}, drawn for {@code use} as the sample numbered {@code index}: {@code int[K]}.
     */
    public int[] counts(Tensor x, int i, int draws, long index, Use use) {
        check(x);
        if (i < 0 || i >= x.dim(0)) {
            throw new IllegalArgumentException("smoothing: expected a sample index in [0," + x.dim(0) + "), got " + i);
        }
        Shape one = x.shape().tail();
        int size = one.size();
        float[] px = x.data();
        int offset = i * size;
        long stream = mix(mix(mix(options.seed()) + index) + use.ordinal());
        float sigma = (float) options.sigma();
        int[] counts = new int[base.classes()];
        int chunk = Math.max(1, base.batchSize());
        for (int from = 0; from < draws; from += chunk) {
            int m = Math.min(chunk, draws - from);
            float[] noisy = new float[m * size];
            int first = from;
            Parallel.forRange(m, 1, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    SplittableRandom rng = new SplittableRandom(mix(stream + first + j));
                    for (int p = 0, q = j * size; p < size; p++, q++) {
                        noisy[q] = px[offset + p] + sigma * (float) rng.nextGaussian();
                    }
                }
            });
            for (int c : base.predict(new Tensor(one.withBatch(m), noisy))) {
                counts[c]++;
            }
        }
        return counts;
    }

    /** The most frequent class other than {@code except}, the lowest index among equals; -1 when none was drawn. */
    private static int top(int[] counts, int except) {
        int best = -1;
        for (int c = 0; c < counts.length; c++) {
            if (c != except && counts[c] > 0 && (best < 0 || counts[c] > counts[best])) {
                best = c;
            }
        }
        return best;
    }

    private void check(Tensor x) {
        if (x.shape().rank() != 4 || !x.shape().tail().equals(base.inputShape())) {
            Shape s = base.inputShape();
            throw new ShapeException("smoothing: expected input [N," + s.dim(0) + "," + s.dim(1) + "," + s.dim(2) + "], got " + x.shape());
        }
    }

    /** The SplitMix64 finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
