package dev.fovea.nn;

/** Rearrangements between batch-major {@code [N,C,P]} and channel-major {@code [C,N*P]} layouts. */
final class Layout {
    private Layout() {
    }

    /** {@code [C, N*P]} to {@code [N, C, P]}, adding {@code bias[c]} when given. */
    static float[] channelsMajorToBatch(float[] src, int n, int c, int p, float[] bias) {
        float[] out = new float[n * c * p];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int s = ch * n * p + b * p;
                int d = (b * c + ch) * p;
                float bv = bias == null ? 0f : bias[ch];
                for (int i = 0; i < p; i++) {
                    out[d + i] = src[s + i] + bv;
                }
            }
        }
        return out;
    }

    /** {@code [N, C, P]} to {@code [C, N*P]}. */
    static float[] batchToChannelsMajor(float[] src, int n, int c, int p) {
        float[] out = new float[n * c * p];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(src, (b * c + ch) * p, out, ch * n * p + b * p, p);
            }
        }
        return out;
    }
}
