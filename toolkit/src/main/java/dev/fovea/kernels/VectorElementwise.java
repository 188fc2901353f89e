package dev.fovea.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link Elementwise}: the same arithmetic in the same order, whole vectors at a time.
 * Reductions keep one lane per partial sum (16 lanes, or two vectors of 8). Every vector here is of the preferred
 * species, the one the GEMM kernel uses: mixing species defeats the JIT's vector intrinsics. Only loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {
    }

    static void relu(float[] x, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    static void addRelu(float[] x, int off, int len, float b, float[] out, int outOff) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int end = len - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).add(b);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            float v = b + x[off + i];
            out[outOff + i] = v > 0f ? v : 0f;
        }
    }

    static void sum2(float[] a, float[] b, boolean relu, float[] out, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, i).add(FloatVector.fromArray(S, b, i));
            (relu ? zero.blend(v, v.compare(VectorOperators.GT, 0f)) : v).intoArray(out, i);
        }
        for (; i < to; i++) {
            float v = a[i] + b[i];
            out[i] = relu ? v > 0f ? v : 0f : v;
        }
    }

    static void addSum(float[] x, int off, int len, float b, float[] r, int rOff, boolean relu, float[] out, int outOff) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int end = len - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).add(b).add(FloatVector.fromArray(S, r, rOff + i));
            (relu ? zero.blend(v, v.compare(VectorOperators.GT, 0f)) : v).intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            float v = (b + x[off + i]) + r[rOff + i];
            out[outOff + i] = relu ? v > 0f ? v : 0f : v;
        }
    }

    static void maxRows(float[] in, int r0, int rows, int stride, int w, float[] m, float[] u) {
        int x = 0;
        for (int end = w - S.length(); x <= end; x += S.length()) {
            FloatVector best = FloatVector.fromArray(S, in, r0 + x);
            FloatVector at = FloatVector.zero(S);
            for (int t = 1; t < rows; t++) {
                FloatVector v = FloatVector.fromArray(S, in, r0 + t * stride + x);
                VectorMask<Float> gt = v.compare(VectorOperators.GT, best);
                best = best.blend(v, gt);
                at = at.blend(t, gt);
            }
            best.intoArray(m, x);
            at.intoArray(u, x);
        }
        Elementwise.maxRowsScalar(in, r0, rows, stride, x, w, m, u);
    }

    static void maxOf3(float[] va, float[] pa, int ia, float[] vb, float[] pb, int ib, float[] vc, float[] pc, int ic, int n, float[] v,
                       float[] p, int o) {
        int j = 0;
        for (int end = n - S.length(); j <= end; j += S.length()) {
            FloatVector bv = FloatVector.fromArray(S, va, ia + j);
            FloatVector bp = FloatVector.fromArray(S, pa, ia + j);
            FloatVector v1 = FloatVector.fromArray(S, vb, ib + j);
            FloatVector p1 = FloatVector.fromArray(S, pb, ib + j);
            VectorMask<Float> t = v1.compare(VectorOperators.GT, bv).or(v1.compare(VectorOperators.EQ, bv).and(p1.compare(VectorOperators.LT, bp)));
            bv = bv.blend(v1, t);
            bp = bp.blend(p1, t);
            FloatVector v2 = FloatVector.fromArray(S, vc, ic + j);
            FloatVector p2 = FloatVector.fromArray(S, pc, ic + j);
            t = v2.compare(VectorOperators.GT, bv).or(v2.compare(VectorOperators.EQ, bv).and(p2.compare(VectorOperators.LT, bp)));
            bv.blend(v2, t).intoArray(v, o + j);
            bp.blend(p2, t).intoArray(p, o + j);
        }
        Elementwise.maxOf3Scalar(va, pa, ia, vb, pb, ib, vc, pc, ic, j, n, v, p, o);
    }

    static boolean hasNaN(float[] a, int from, int to) {
        int i = from;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, i);
            if (v.compare(VectorOperators.NE, v).anyTrue()) {
                return true;
            }
        }
        for (; i < to; i++) {
            if (a[i] != a[i]) {
                return true;
            }
        }
        return false;
    }

    static void tanh(float[] x, float[] out, int from, int to) {
        float[] tp = Elementwise.TANH_P;
        float[] tq = Elementwise.TANH_Q;
        int i = from;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector c = FloatVector.fromArray(S, x, i).min(Elementwise.TANH_CLAMP).max(-Elementwise.TANH_CLAMP);
            FloatVector x2 = c.mul(c);
            FloatVector p = x2.mul(tp[0]).add(tp[1]);
            p = x2.mul(p).add(tp[2]);
            p = x2.mul(p).add(tp[3]);
            p = x2.mul(p).add(tp[4]);
            p = x2.mul(p).add(tp[5]);
            p = x2.mul(p).add(tp[6]);
            FloatVector q = x2.mul(tq[0]).add(tq[1]);
            q = x2.mul(q).add(tq[2]);
            q = x2.mul(q).add(tq[3]);
            c.mul(p).div(q).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = Elementwise.tanh(x[i]);
        }
    }

    static void reluBackward(float[] x, float[] g, float[] dx, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int i = from;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            VectorMask<Float> m = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, i), m).intoArray(dx, i);
        }
        for (; i < to; i++) {
            dx[i] = x[i] > 0f ? g[i] : 0f;
        }
    }

    /** Whether the reductions run here: vectors of 16 lanes, or of 8 taken two at a time. */
    static final boolean REDUCES = S.length() == 16 || S.length() == 8;

    static void sum(float[] a, int off, int len, float[] p) {
        int full = len - len % 16;
        if (S.length() == 16) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                acc = acc.add(FloatVector.fromArray(S, a, off + i));
            }
            acc.intoArray(p, 0);
        } else {
            FloatVector lo = FloatVector.zero(S);
            FloatVector hi = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                lo = lo.add(FloatVector.fromArray(S, a, off + i));
                hi = hi.add(FloatVector.fromArray(S, a, off + i + 8));
            }
            lo.intoArray(p, 0);
            hi.intoArray(p, 8);
        }
        for (int i = full; i < len; i++) {
            p[i - full] += a[off + i];
        }
    }

    static void sumSquaredDeviations(float[] a, int off, int len, float mean, float[] p) {
        int full = len - len % 16;
        if (S.length() == 16) {
            FloatVector acc = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                FloatVector d = FloatVector.fromArray(S, a, off + i).sub(mean);
                acc = acc.add(d.mul(d));
            }
            acc.intoArray(p, 0);
        } else {
            FloatVector lo = FloatVector.zero(S);
            FloatVector hi = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                FloatVector d = FloatVector.fromArray(S, a, off + i).sub(mean);
                lo = lo.add(d.mul(d));
                FloatVector e = FloatVector.fromArray(S, a, off + i + 8).sub(mean);
                hi = hi.add(e.mul(e));
            }
            lo.intoArray(p, 0);
            hi.intoArray(p, 8);
        }
        for (int i = full; i < len; i++) {
            float d = a[off + i] - mean;
            p[i - full] += d * d;
        }
    }

    static void sumAndDot(float[] g, float[] h, int off, int len, float[] p, float[] q) {
        int full = len - len % 16;
        if (S.length() == 16) {
            FloatVector s = FloatVector.zero(S);
            FloatVector d = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                FloatVector gv = FloatVector.fromArray(S, g, off + i);
                s = s.add(gv);
                d = d.add(gv.mul(FloatVector.fromArray(S, h, off + i)));
            }
            s.intoArray(p, 0);
            d.intoArray(q, 0);
        } else {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector d0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector d1 = FloatVector.zero(S);
            for (int i = 0; i < full; i += 16) {
                FloatVector g0 = FloatVector.fromArray(S, g, off + i);
                s0 = s0.add(g0);
                d0 = d0.add(g0.mul(FloatVector.fromArray(S, h, off + i)));
                FloatVector g1 = FloatVector.fromArray(S, g, off + i + 8);
                s1 = s1.add(g1);
                d1 = d1.add(g1.mul(FloatVector.fromArray(S, h, off + i + 8)));
            }
            s0.intoArray(p, 0);
            s1.intoArray(p, 8);
            d0.intoArray(q, 0);
            d1.intoArray(q, 8);
        }
        for (int i = full; i < len; i++) {
            p[i - full] += g[off + i];
            q[i - full] += g[off + i] * h[off + i];
        }
    }

    static void normalize(float[] x, int off, int len, float mean, float invStd, float gamma, float beta,
                          float[] xhat, float[] y) {
        int i = off;
        int to = off + len;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector h = FloatVector.fromArray(S, x, i).sub(mean).mul(invStd);
            if (xhat != null) {
                h.intoArray(xhat, i);
            }
            h.mul(gamma).add(beta).intoArray(y, i);
        }
        for (; i < to; i++) {
            float h = (x[i] - mean) * invStd;
            if (xhat != null) {
                xhat[i] = h;
            }
            y[i] = gamma * h + beta;
        }
    }

    static void normalizeBackward(float[] g, float[] h, int off, int len, float k, float meanG, float meanGh, float[] dx) {
        int i = off;
        int to = off + len;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector hv = FloatVector.fromArray(S, h, i).mul(meanGh);
            FloatVector.fromArray(S, g, i).sub(meanG).sub(hv).mul(k).intoArray(dx, i);
        }
        for (; i < to; i++) {
            dx[i] = k * (g[i] - meanG - h[i] * meanGh);
        }
    }

    static void affine(float[] x, int off, int len, float a, float b, float[] y) {
        int i = off;
        int to = off + len;
        for (int end = to - S.length(); i <= end; i += S.length()) {
            FloatVector.fromArray(S, x, i).mul(a).add(b).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = a * x[i] + b;
        }
    }
}
