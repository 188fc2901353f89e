package dev.fovea.audit;

import dev.fovea.attacks.Norm;
import dev.fovea.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

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

    public Budgets {
        eps = List.copyOf(eps);
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
