package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Eigen-CAM of Muhammad and Yeasin, "Eigen-CAM: Class Activation Map using Principal Components" (IJCNN 2020): the
 * activations {@code A [K,h,w]} of a sample as an {@code hw x K} matrix, each channel centred over the positions,
 * projected on its first right singular vector {@code v_1}: {@code M = ReLU((A - mean) v_1)}, upsampled as
 * {@link CamBase}. No gradient and no class: the map is the same whatever the target (the target's score is still
 * reported). As pytorch-grad-cam's {@code get_2d_projection}, except the sign, which an SVD leaves free: fovea
 * orients {@code v_1} so that the projection correlates non-negatively with the channel sum {@code sum_k A_k}
 * (pytorch-grad-cam keeps whichever sign LAPACK returns). SVD by Apache Commons Math, in double. Option
 * {@code layer} (default the last convolutional). Unsigned. Input {@code [N,C,H,W]}, maps {@code [N,1,H,W]}.
 */
final class EigenCam extends CamBase {
    @Override
    public String name() {
        return "eigen-cam";
    }

    @Override
    public String describe() {
        return "Eigen-CAM, Muhammad & Yeasin 2020: the first principal component of --layer's activations (class-agnostic, no gradient). "
                + "Unsigned, [N,1,H,W].";
    }

    @Override
    Tensor map(Classifier model, Tensor x, int[] targets, String layer, ExplainConfig cfg, double[] scores) {
        Tensor a = model.activations(x, layer);
        double[] s = Scores.of(model, x, targets, cfg.score(), x.dim(0));
        System.arraycopy(s, 0, scores, 0, s.length);
        int m = a.dim(0);
        int k = a.dim(1);
        int hw = a.dim(2) * a.dim(3);
        float[] cam = new float[m * hw];
        for (int i = 0; i < m; i++) {
            project(a.data(), i * k * hw, k, hw, cam, i * hw);
        }
        return mapOf(a, cam);
    }

    /** The projection of one sample's centred {@code hw x K} activations on their first right singular vector. */
    static void project(float[] a, int off, int k, int hw, float[] out, int at) {
        double[][] m = new double[hw][k];
        double[] total = new double[hw];
        for (int c = 0; c < k; c++) {
            double mean = 0;
            for (int p = 0; p < hw; p++) {
                mean += a[off + c * hw + p];
                total[p] += a[off + c * hw + p];
            }
            mean /= hw;
            for (int p = 0; p < hw; p++) {
                m[p][c] = a[off + c * hw + p] - mean;
            }
        }
        RealMatrix centred = new Array2DRowRealMatrix(m, false);
        double[] v = new SingularValueDecomposition(centred).getV().getColumn(0);
        double[] proj = centred.operate(v);
        double corr = 0;
        for (int p = 0; p < hw; p++) {
            corr += proj[p] * total[p];
        }
        double sign = corr < 0 ? -1 : 1;
        for (int p = 0; p < hw; p++) {
            out[at + p] = (float) (sign * proj[p]);
        }
    }
}
