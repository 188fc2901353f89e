package dev.fovea.audit;

import dev.fovea.attacks.Norm;
import dev.fovea.audit.report.Format;
import dev.fovea.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The budgets an attack runs at when none are given, following the input's size and the conventions of the field
 * for data of that size, so that a CIFAR-10 model is not measured at Fashion-MNIST budgets (at which a normally
 * trained CIFAR-10 network is at 0% from 2/255 on):
 * <ul>
 *   <li>grayscale input (one channel, the MNIST family), and the L0 norm whatever the input: 0, 0.02, 0.05, 0.1,
 *       0.2, in every norm (fovea's default before budgets followed the input);</li>
 *   <li>colour input whose shorter side is under {@value #IMAGENET_SIDE} pixels (CIFAR-10's 3x32x32, also 64 or 96
 *       pixels): L-inf 0, 1/255, 2/255, 4/255, 8/255 and L2 0, 0.25, 0.5, 1.0, around RobustBench's CIFAR-10 threat
 *       models, L-inf 8/255 and L2 0.5 (Croce et al. 2021, "RobustBench: a standardized adversarial robustness
 *       benchmark");</li>
 *   <li>colour input whose shorter side is at least {@value #IMAGENET_SIDE} pixels (ImageNet's 3x224x224): L-inf 0,
 *       1/255, 2/255, 4/255, up to RobustBench's ImageNet L-inf 4/255, and L2 0, 0.5, 1, 2.</li>
 * </ul>
 * Budgets are in pixel units of {@code [0,1]} images, as everywhere; {@code 0} measures clean accuracy.
 *
 * <p>Budgets are written as numbers or as fractions ({@link #parse}: {@code 8/255}, as torchattacks and AutoAttack
 * users write them), and a list that gives one budget twice runs it once ({@link #once}: two budgets are the same
 * when they are the same double, so {@code 8/255} and {@code 0.03137254901960784} are one budget, {@code 0.0314}
 * another).
 *
 * @param eps the budgets, ascending
 * @param text the budgets as a person writes them ({@code 0, 1/255, 2/255})
 * @param convention what they follow, in a few words ({@code the default for colour 3x32x32 input: CIFAR-10's convention, ...})
 */
public record Budgets(List<Double> eps, String text, String convention) {
    /** The shorter side, in pixels, from which colour input counts as ImageNet-sized. */
    public static final int IMAGENET_SIDE = 128;

    /** The rule in one sentence, for help texts. */
    public static final String RULE = "grayscale input 0,0.02,0.05,0.1,0.2; colour under " + IMAGENET_SIDE
            + " px (CIFAR-10) linf 0,1/255,2/255,4/255,8/255 and l2 0,0.25,0.5,1; colour from " + IMAGENET_SIDE
            + " px (ImageNet) linf 0,1/255,2/255,4/255 and l2 0,0.5,1,2 (RobustBench's threat models: CIFAR-10 linf 8/255, l2 0.5; ImageNet linf 4/255)";

    /** A decimal number, or two with a slash between them (spaces allowed around it). */
    private static final Pattern FRACTION = Pattern.compile("([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)(?:\\s*/\\s*([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?))?");

    public Budgets {
        eps = List.copyOf(eps);
    }

    /**
     * A budget as a person writes it: a number ({@code 0.03}, {@code 1e-2}) or a fraction of two numbers
     * ({@code 8/255}, {@code 0.5/255}), finite, the denominator not zero. The message of a value it cannot read
     * starts {@code "expected a number or a fraction"}, for the caller to put after the name of what it reads.
     */
    public static double parse(String text) {
        Matcher m = text == null ? null : FRACTION.matcher(text.strip());
        double v = Double.NaN;
        if (m != null && m.matches()) {
            v = m.group(2) == null ? Double.parseDouble(m.group(1)) : Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("expected a number or a fraction such as 8/255, got '" + text + "'");
        }
        return v;
    }

    /**
     * The budgets {@code given}, each once, in the order of their first occurrence ({@code kept}), and the values
     * that were given again, as first given, each once, in the order of their first repeat ({@code repeated}; empty
     * when none was).
     */
    public record Once(List<Double> kept, List<Double> repeated) {
        public Once {
            kept = List.copyOf(kept);
            repeated = List.copyOf(repeated);
        }

        /**
         * What was dropped, for a note: {@code 0.1 is given more than once; it runs once}, the budgets named as the
         * tables name them ({@link Format#eps(double, java.util.Collection)}); {@code null} when nothing was.
         */
        public String note() {
            if (repeated.isEmpty()) {
                return null;
            }
            List<String> names = repeated.stream().map(e -> Format.eps(e, kept)).toList();
            return String.join(", ", names) + (names.size() == 1 ? " is given more than once; it runs once" : " are given more than once; each runs once");
        }
    }

    /** {@code given} with every budget kept once ({@link Once}); budgets are the same when they are equal doubles ({@code 0.0 == -0.0}). */
    public static Once once(List<Double> given) {
        List<Double> kept = new ArrayList<>();
        List<Double> repeated = new ArrayList<>();
        for (double e : given) {
            Double first = kept.stream().filter(k -> k == e).findFirst().orElse(null);
            if (first == null) {
                kept.add(e);
            } else if (repeated.stream().noneMatch(r -> r == e)) {
                repeated.add(first);
            }
        }
        return new Once(kept, repeated);
    }

    /** The default budgets in {@code norm} for per-sample input {@code [C,H,W]}. */
    public static Budgets defaults(Norm norm, Shape input) {
        input.requireRank(3, "budgets", "input shape [C,H,W]");
        int c = input.dim(0);
        int side = Math.min(input.dim(1), input.dim(2));
        if (norm == Norm.L0) {
            return plain("the default for l0, fractions of the pixels", 0, 0.02, 0.05, 0.1, 0.2);
        }
        if (c != 3) {
            return plain("the default for grayscale input, fovea's Fashion-MNIST budgets", 0, 0.02, 0.05, 0.1, 0.2);
        }
        String size = "the default for colour " + input.dim(0) + "x" + input.dim(1) + "x" + input.dim(2) + " input: ";
        if (side >= IMAGENET_SIDE) {
            return norm == Norm.LINF ? over255(size + "ImageNet's convention, RobustBench's linf 4/255", 0, 1, 2, 4)
                    : plain(size + "ImageNet's convention", 0, 0.5, 1, 2);
        }
        return norm == Norm.LINF ? over255(size + "CIFAR-10's convention, RobustBench's linf 8/255", 0, 1, 2, 4, 8)
                : plain(size + "CIFAR-10's convention, RobustBench's l2 0.5", 0, 0.25, 0.5, 1.0);
    }

    private static Budgets over255(String convention, int... k) {
        List<Double> e = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int v : k) {
            e.add(v / 255.0);
            t.add(v == 0 ? "0" : v + "/255");
        }
        return new Budgets(e, String.join(", ", t), convention);
    }

    private static Budgets plain(String convention, double... v) {
        List<Double> e = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (double x : v) {
            e.add(x);
            t.add(x == 0 ? "0" : Double.toString(x));
        }
        return new Budgets(e, String.join(", ", t), convention);
    }
}
