package dev.fovea.attacks;

import dev.fovea.tensor.Tensor;

import java.util.SplittableRandom;

/** Operations on perturbations shared by the attacks: projection onto the ball and the box, random starts. */
final class Perturbations {
    private Perturbations() {
    }

    /** Moves each sample of {@code adv} so that {@code adv - clean} lies in the {@code eps} ball and {@code adv} in the box. */
    static void projectInto(Tensor clean, Tensor adv, Norm norm, double eps, float[] box) {
        int n = clean.dim(0);
        int per = clean.shape().sizeFrom(1);
        float[] c = clean.data();
        float[] a = adv.data();
        float[] d = new float[per];
        for (int i = 0; i < n; i++) {
            int o = i * per;
            for (int j = 0; j < per; j++) {
                d[j] = a[o + j] - c[o + j];
            }
            norm.project(d, 0, per, eps);
            for (int j = 0; j < per; j++) {
                a[o + j] = Math.max(box[0], Math.min(box[1], c[o + j] + d[j]));
            }
            // Clipping into the box only shrinks each coordinate of the perturbation, so the ball still holds.
        }
    }

    /** A random point of the {@code eps} ball per sample, added to {@code x} (uniform per pixel for L-inf; for L2 a uniform direction and radius eps*u^(1/d)). */
    static void randomStart(Tensor x, Norm norm, double eps, SplittableRandom r) {
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        float[] a = x.data();
        for (int i = 0; i < n; i++) {
            int o = i * per;
            if (norm == Norm.LINF) {
                for (int j = 0; j < per; j++) {
                    a[o + j] += (float) ((2 * r.nextDouble() - 1) * eps);
                }
            } else {
                float[] g = new float[per];
                for (int j = 0; j < per; j++) {
                    g[j] = (float) gaussian(r);
                }
                Norm.L2.steepest(g, 0, per);
                double radius = eps * Math.pow(r.nextDouble(), 1.0 / per);
                for (int j = 0; j < per; j++) {
                    a[o + j] += (float) (radius * g[j]);
                }
            }
        }
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
