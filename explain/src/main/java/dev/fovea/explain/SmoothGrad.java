package dev.fovea.explain;

/**
 * SmoothGrad of Smilkov et al., "SmoothGrad: removing noise by adding noise" (2017): the mean gradient over noisy
 * copies, {@code (1/m) sum_k dS_t/dx (x + sigma e_k)}, {@code e_k ~ N(0, I)}. Options: {@code samples} (m, default
 * 32; the paper uses 50), {@code noise} (sigma as a fraction of the pixel range, default 0.15; the paper finds
 * 10-20% best). Signed (the paper shows absolute values; take {@code |A|} for that). Input and maps
 * {@code [N,C,H,W]}. See {@link NoiseTunnel} for the noise.
 */
final class SmoothGrad extends NoiseTunnel {
    @Override
    public String name() {
        return "smoothgrad";
    }

    @Override
    public String describe() {
        return "SmoothGrad, Smilkov et al. 2017: mean gradient over --samples copies with Gaussian --noise (fraction of the pixel range). Signed, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    float combine(double mean, double variance) {
        return (float) mean;
    }
}
