package dev.fovea.explain;

/**
 * VarGrad of Adebayo et al., "Local Explanation Methods for Deep Neural Networks Lack Sensitivity to Parameter
 * Values" (2018): the variance of the gradient over noisy copies,
 * {@code (1/m) sum_k (g_k - mean(g))^2}, {@code g_k = dS_t/dx (x + sigma e_k)} (population variance, as Captum's
 * NoiseTunnel). Options as {@link SmoothGrad}. Unsigned. Input and maps {@code [N,C,H,W]}.
 */
final class VarGrad extends NoiseTunnel {
    @Override
    public String name() {
        return "vargrad";
    }

    @Override
    public String describe() {
        return "VarGrad, Adebayo et al. 2018: variance of the gradient over --samples copies with Gaussian --noise. Unsigned, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return false;
    }

    @Override
    float combine(double mean, double variance) {
        return (float) variance;
    }
}
