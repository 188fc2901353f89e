package dev.fovea.train;

import dev.fovea.image.corrupt.ChannelShift;
import dev.fovea.image.corrupt.Cutout;
import dev.fovea.image.corrupt.Gamma;
import dev.fovea.image.corrupt.HorizontalFlip;
import dev.fovea.image.corrupt.HueShift;
import dev.fovea.image.corrupt.Rescale;
import dev.fovea.image.corrupt.Rotate;
import dev.fovea.image.corrupt.Shear;
import dev.fovea.image.corrupt.Translate;
import dev.fovea.image.corrupt.VerticalFlip;
import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Random data augmentation for training, from a spec such as {@code flip,translate:2,rotate:15}: a comma list of
 * {@code name[:strength]}, each {@link Op} once, applied in the order given to every training image with its own
 * random draws; or {@code augmix[:severity]} ({@link AugMix}), which after the others makes two AugMix copies of
 * each image and trains on the clean image and both with the Jensen-Shannon consistency loss
 * ({@link TrainingLoss#jensenShannon}, lambda 12), as Hendrycks et al. (ICLR 2020) do.
 *
 * <p>Each op draws its parameters per image from its strength (see {@link Op}) and applies the registered
 * augmentation of {@code dev.fovea.image.corrupt} with them. Image {@code i} of batch {@code step} draws from a
 * generator seeded by the run's seed, the step and {@code i}, so a seed fixes the whole training, whatever the
 * thread count. Spec errors are {@link IllegalArgumentException}s naming the problem (an unknown name lists the
 * valid ones).
 */
public final class Augmentation {
    /** The ops of a spec, with the meaning, range and default of their strength. */
    public enum Op {
        /** Mirrors left to right with probability {@code strength} (also named {@code hflip}). */
        FLIP("flip", "probability", 0, 1, 0.5, false),
        /** Turns upside down with probability {@code strength}. */
        VFLIP("vflip", "probability", 0, 1, 0.5, false),
        /** Shifts by whole pixels, right and down each uniform in {@code [-strength, strength]}, black fill. */
        TRANSLATE("translate", "pixels", 0, 64, 2, true),
        /** Rotates by an angle uniform in {@code [-strength, strength]} degrees, bilinear, black fill. */
        ROTATE("rotate", "degrees", 0, 180, 15, false),
        /** Rescales by a factor uniform in {@code [1 - strength, 1 + strength]} about the centre. */
        SCALE("scale", "relative change", 0, 0.9, 0.1, false),
        /** Shears by an angle uniform in {@code [-strength, strength]} degrees. */
        SHEAR("shear", "degrees", 0, 60, 10, false),
        /** Gamma {@code strength^u}, {@code u} uniform in {@code [-1, 1]}. */
        GAMMA("gamma", "largest exponent", 1, 10, 1.5, false),
        /** Turns the hue by a shift uniform in {@code [-strength, strength]} turns (colour images). */
        HUE_SHIFT("hue-shift", "turns", 0, 0.5, 0.1, false),
        /** Shifts each colour channel by its own constant uniform in {@code [-strength, strength]} (colour images). */
        CHANNEL_SHIFT("channel-shift", "pixel units", 0, 1, 0.08, false),
        /** Blacks out a {@code strength x strength} square at a random place. */
        CUTOUT("cutout", "pixels", 0, 1024, 8, true),
        /** AugMix at severity {@code strength}, with its consistency loss. */
        AUGMIX("augmix", "severity", 1, 10, AugMix.DEFAULT_SEVERITY, true);

        private final String label;
        private final String unit;
        private final double min;
        private final double max;
        private final double defaultStrength;
        private final boolean whole;

        Op(String label, String unit, double min, double max, double defaultStrength, boolean whole) {
            this.label = label;
            this.unit = unit;
            this.min = min;
            this.max = max;
            this.defaultStrength = defaultStrength;
            this.whole = whole;
        }

        /** The name in a spec. */
        public String label() {
            return label;
        }

        public double defaultStrength() {
            return defaultStrength;
        }

        /** Whether it changes colours only, and so needs three channels. */
        public boolean colourOnly() {
            return this == HUE_SHIFT || this == CHANNEL_SHIFT;
        }

        /** The op named {@code name} in a spec ({@code hflip} is {@code flip}); an unknown name lists the valid ones. */
        public static Op named(String name) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("hflip")) {
                return FLIP;
            }
            for (Op op : values()) {
                if (op.label.equals(n)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("augment: expected an augmentation, one of " + String.join(", ", names()) + ", got '" + name.trim() + "'");
        }

        /** The names a spec accepts. */
        public static List<String> names() {
            List<String> out = new ArrayList<>();
            for (Op op : values()) {
                out.add(op.label);
                if (op == FLIP) {
                    out.add("hflip");
                }
            }
            return out;
        }

        private Tensor apply(Tensor img, double s, RandomGenerator rng) {
            long seed = rng.nextLong();
            return switch (this) {
                case FLIP -> HFLIP_OP.apply(img, new HorizontalFlip.Params(rng.nextDouble() < s), seed, 0);
                case VFLIP -> VFLIP_OP.apply(img, new VerticalFlip.Params(rng.nextDouble() < s), seed, 0);
                case TRANSLATE -> TRANSLATE_OP.apply(img, new Translate.Params(whole(rng, (int) s), whole(rng, (int) s), false), seed, 0);
                case ROTATE -> ROTATE_OP.apply(img, new Rotate.Params(uniform(rng, s), false), seed, 0);
                case SCALE -> SCALE_OP.apply(img, new Rescale.Params(1 + uniform(rng, s)), seed, 0);
                case SHEAR -> SHEAR_OP.apply(img, new Shear.Params(uniform(rng, s), false), seed, 0);
                case GAMMA -> GAMMA_OP.apply(img, new Gamma.Params(Math.pow(s, uniform(rng, 1)), false), seed, 0);
                case HUE_SHIFT -> HUE_OP.apply(img, new HueShift.Params(uniform(rng, s), false), seed, 0);
                case CHANNEL_SHIFT -> CHANNEL_OP.apply(img, new ChannelShift.Params(s), seed, 0);
                case CUTOUT -> CUTOUT_OP.apply(img, new Cutout.Params((int) s), seed, 0);
                case AUGMIX -> throw new IllegalStateException("augmix is applied by the augmentation, not as an op");
            };
        }

        private static double uniform(RandomGenerator rng, double s) {
            return s * (2 * rng.nextDouble() - 1);
        }

        private static int whole(RandomGenerator rng, int s) {
            return rng.nextInt(2 * s + 1) - s;
        }
    }

    /** One entry of a spec. */
    public record Step(Op op, double strength) {
        @Override
        public String toString() {
            return op.label + ":" + plain(strength);
        }
    }

    private static final HorizontalFlip HFLIP_OP = new HorizontalFlip();
    private static final VerticalFlip VFLIP_OP = new VerticalFlip();
    private static final Translate TRANSLATE_OP = new Translate();
    private static final Rotate ROTATE_OP = new Rotate();
    private static final Rescale SCALE_OP = new Rescale();
    private static final Shear SHEAR_OP = new Shear();
    private static final Gamma GAMMA_OP = new Gamma();
    private static final HueShift HUE_OP = new HueShift();
    private static final ChannelShift CHANNEL_OP = new ChannelShift();
    private static final Cutout CUTOUT_OP = new Cutout();

    private final List<Step> steps;
    private final AugMix augMix;

    private Augmentation(List<Step> steps, AugMix augMix) {
        this.steps = List.copyOf(steps);
        this.augMix = augMix;
    }

    /** Parses a spec: {@code name[:strength]} separated by commas, each name once; see {@link Op} for names and ranges. */
    public static Augmentation parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("augment: expected a comma list of name[:strength] (" + String.join(", ", Op.names())
                    + "), got '" + (spec == null ? "" : spec) + "'");
        }
        List<Step> steps = new ArrayList<>();
        AugMix mix = null;
        List<Op> seen = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("augment: expected a name between the commas of '" + spec + "', got an empty entry");
            }
            int colon = part.indexOf(':');
            Op op = Op.named(colon < 0 ? part : part.substring(0, colon));
            if (seen.contains(op)) {
                throw new IllegalArgumentException("augment: expected each augmentation once, got '" + op.label + "' twice in '" + spec + "'");
            }
            seen.add(op);
            double s = colon < 0 ? op.defaultStrength : strength(op, part.substring(colon + 1).trim());
            if (op == Op.AUGMIX) {
                mix = new AugMix((int) s);
            } else {
                steps.add(new Step(op, s));
            }
        }
        return new Augmentation(steps, mix);
    }

    private static double strength(Op op, String text) {
        double s;
        try {
            s = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!Double.isFinite(s) || text.isEmpty() || !text.matches("[-+0-9.eE]+")) {
            throw new IllegalArgumentException("augment: " + op.label + ": expected a number (" + op.unit + "), got '" + text + "'");
        }
        if (op.whole && s != Math.rint(s)) {
            throw new IllegalArgumentException("augment: " + op.label + ": expected a whole number (" + op.unit + "), got " + text);
        }
        if (s < op.min || s > op.max) {
            throw new IllegalArgumentException("augment: " + op.label + ": expected a strength from " + plain(op.min) + " to "
                    + plain(op.max) + " (" + op.unit + "), got " + text);
        }
        return s;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The ops before any AugMix, in order. */
    public List<Step> steps() {
        return steps;
    }

    /** Whether the spec asks for AugMix (three images per label and the consistency loss). */
    public boolean augMix() {
        return augMix != null;
    }

    /** The canonical spec, every strength written out: {@code flip:0.5,translate:2,rotate:15.0}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        steps.forEach(s -> parts.add(s.toString()));
        if (augMix != null) {
            parts.add(new Step(Op.AUGMIX, augMix.severity()).toString());
        }
        return String.join(",", parts);
    }

    /** Checks that the ops suit samples of {@code shape} ({@code [C,H,W]}): colour-only ones need three channels. */
    public void check(Shape sample) {
        if (sample.rank() != 3 || (sample.dim(0) != 1 && sample.dim(0) != 3)) {
            throw new ShapeException("augment: expected samples [1,H,W] or [3,H,W], got " + sample);
        }
        for (Step s : steps) {
            if (s.op.colourOnly() && sample.dim(0) != 3) {
                throw new ShapeException("augment: " + s.op.label + " changes colours only and needs colour samples [3,H,W], got " + sample);
            }
        }
    }

    /** The loss to train with: AugMix's consistency loss with AugMix, else cross-entropy. */
    public TrainingLoss loss() {
        return augMix == null ? TrainingLoss.crossEntropy() : TrainingLoss.jensenShannon(dev.fovea.loss.JensenShannonConsistency.LAMBDA);
    }

    /** The hook that augments each batch, seeded from {@code seed} and the step. */
    public BatchTransform transform(long seed) {
        return (net, x, y, step) -> apply(x, seed, step);
    }

    /**
     * Augments batch {@code x} ({@code [N,C,H,W]}, pixels in {@code [0,1]}) of training step {@code step}: the
     * augmented images {@code [N,C,H,W]}, or with AugMix {@code [3N,C,H,W]}: the augmented images, then a first and
     * a second AugMix copy of each. The input is not changed.
     */
    public Tensor apply(Tensor x, long seed, long step) {
        if (x.shape().rank() != 4) {
            throw new ShapeException("augment: expected images [N,C,H,W], got " + x.shape());
        }
        check(x.shape().tail());
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int size = c * h * w;
        int copies = augMix == null ? 1 : 3;
        float[] out = new float[copies * n * size];
        Parallel.forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                RandomGenerator rng = new SplittableRandom(mix(mix(seed) + step) + i);
                Tensor img = x.slice(i, i + 1);
                for (Step s : steps) {
                    img = s.op.apply(img, s.strength, rng);
                }
                System.arraycopy(img.data(), 0, out, i * size, size);
                for (int k = 1; k < copies; k++) {
                    float[] a = augMix.augmentAndMix(img.data(), c, h, w, rng);
                    System.arraycopy(a, 0, out, (k * n + i) * size, size);
                }
            }
        });
        int[] dims = x.shape().dims();
        dims[0] = copies * n;
        return new Tensor(Shape.of(dims), out);
    }

    /** The SplitMix64 finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
