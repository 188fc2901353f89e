package dev.fovea.kernels;

/**
 * The input gradient of a convolution at stride {@code s > 1} as stride-1 direct convolutions, one per phase of the
 * padded input, without a column matrix or col2im. The padded row {@code r = s*i + a} and column {@code q = s*j + b}
 * receive the output gradient only through the kernel taps {@code u = a + s*m}, {@code v = b + s*l}:
 * {@code dxpad[c][s*i+a][s*j+b] = sum_{o,m,l} W[o][c][a+s*m][b+s*l] * g[o][i-m][j-l]}, a full correlation of
 * {@code g} with the phase's sub-kernel, which {@link DirectConv#convolve} runs over {@code g} padded by
 * {@code T = (K-1)/s} above and to the left. Phases {@code a >= K} (a stride above the kernel) get no gradient.
 *
 * <p>Each input gradient is a sum over the taps {@code (o, m, l)} in that order with fused multiply-adds, whatever
 * the tiling or thread count. One instance serves one backward pass (its weights) and every image of it.
 */
public final class PhasedInputGradient {
    private final int cin;
    private final int cout;
    private final int stride;
    private final int padding;
    private final int h;
    private final int w;
    private final int oh;
    private final int ow;
    private final int ph;
    private final int hq;
    private final int wq;
    private final int t;
    private final int gh;
    private final int gw;
    private final float[][] packed;
    private final int[][] taps;
    private final int[] depth;
    private final int kernel;
    private final float[] sub;

    /**
     * For weights {@code [Cout][Cin][K][K]} of a convolution at {@code stride} and {@code padding} from an input
     * {@code h x w} to an output {@code oh x ow}.
     */
    public PhasedInputGradient(float[] weights, int cout, int cin, int kernel, int stride, int padding, int h, int w, int oh, int ow) {
        if (stride < 2) {
            throw new IllegalArgumentException("phased input gradient: stride " + stride + ", expected at least 2");
        }
        this.cin = cin;
        this.cout = cout;
        this.stride = stride;
        this.padding = padding;
        this.h = h;
        this.w = w;
        this.oh = oh;
        this.ow = ow;
        this.ph = DirectConv.phases(kernel, stride);
        this.hq = DirectConv.planeSide(h + 2 * padding, stride);
        this.wq = DirectConv.planeSide(w + 2 * padding, stride);
        this.t = (kernel - 1) / stride;
        this.gh = hq + t;
        this.gw = wq + t;
        this.kernel = kernel;
        this.packed = new float[ph * ph][];
        this.taps = new int[ph * ph][];
        this.depth = new int[ph * ph];
        for (int a = 0; a < ph; a++) {
            int mu = (kernel - 1 - a) / stride + 1;
            for (int b = 0; b < ph; b++) {
                int ml = (kernel - 1 - b) / stride + 1;
                int k = cout * mu * ml;
                int[] off = new int[k];
                for (int o = 0; o < cout; o++) {
                    for (int m = 0; m < mu; m++) {
                        for (int l = 0; l < ml; l++) {
                            off[(o * mu + m) * ml + l] = o * gh * gw + (t - m) * gw + (t - l);
                        }
                    }
                }
                packed[a * ph + b] = new float[DirectConv.packedSize(cin, k)];
                taps[a * ph + b] = off;
                depth[a * ph + b] = k;
            }
        }
        this.sub = new float[cin * depth[0]];
        load(weights);
    }

    /** Whether this instance serves an input of {@code h x w} (its convolution's other sizes being fixed). */
    public boolean fits(int h, int w) {
        return this.h == h && this.w == w;
    }

    /** Takes the weights {@code [Cout][Cin][K][K]} of this backward pass: each phase's sub-kernel, packed. */
    public void load(float[] weights) {
        int kk = kernel * kernel;
        for (int a = 0; a < ph; a++) {
            int mu = (kernel - 1 - a) / stride + 1;
            for (int b = 0; b < ph; b++) {
                int ml = (kernel - 1 - b) / stride + 1;
                int k = depth[a * ph + b];
                for (int o = 0; o < cout; o++) {
                    for (int m = 0; m < mu; m++) {
                        for (int l = 0; l < ml; l++) {
                            int tap = (o * mu + m) * ml + l;
                            int at = o * cin * kk + (a + stride * m) * kernel + b + stride * l;
                            for (int c = 0; c < cin; c++) {
                                sub[c * k + tap] = weights[at + c * kk];
                            }
                        }
                    }
                }
                DirectConv.packWeights(sub, cin, k, packed[a * ph + b]);
            }
        }
    }

    /** Floats of the padded output gradient {@link #apply} needs. */
    public int paddedGradientSize() {
        return cout * gh * gw + Kernels.NR;
    }

    /** Floats of the accumulator {@link #apply} needs. */
    public int accumulatorSize() {
        return DirectConv.accumulatorSize(cin, hq, wq, gw);
    }

    /** Floats of the phase plane {@link #apply} needs. */
    public int planeSize() {
        return cin * hq * wq;
    }

    /**
     * {@code dx[dxOff..]} ({@code [Cin][H][W]}) set to the input gradient of the output gradient {@code g[gOff..]}
     * ({@code [Cout][OH][OW]}), with scratch {@code gp}, {@code acc} and {@code plane} of the sizes above.
     */
    public void apply(float[] g, int gOff, float[] gp, float[] acc, float[] plane, float[] dx, int dxOff) {
        java.util.Arrays.fill(gp, 0, paddedGradientSize(), 0f);
        for (int o = 0; o < cout; o++) {
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(g, gOff + (o * oh + oy) * ow, gp, o * gh * gw + (oy + t) * gw + t, ow);
            }
        }
        if (ph < stride) {
            // rows and columns of a phase no tap reads
            java.util.Arrays.fill(dx, dxOff, dxOff + cin * h * w, 0f);
        }
        for (int a = 0; a < ph; a++) {
            for (int b = 0; b < ph; b++) {
                int q = a * ph + b;
                DirectConv.convolve(packed[q], cin, depth[q], taps[q], gp, hq, wq, gw, acc, null, plane, 0);
                int x0 = Math.floorMod(b - padding, stride);
                int j0 = (x0 + padding) / stride;
                int count = Math.max(0, (w - x0 + stride - 1) / stride);
                // the input rows y = s*i + a - P and columns x = s*j + b - P of this phase
                for (int i = 0; i < hq; i++) {
                    int y = stride * i + a - padding;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int c = 0; c < cin; c++) {
                        int src = (c * hq + i) * wq + j0;
                        int dst = dxOff + (c * h + y) * w + x0;
                        if (stride == 2) {
                            for (int jj = 0; jj < count; jj++) {
                                dx[dst + 2 * jj] = plane[src + jj];
                            }
                        } else {
                            for (int jj = 0; jj < count; jj++) {
                                dx[dst + stride * jj] = plane[src + jj];
                            }
                        }
                    }
                }
            }
        }
    }
}
