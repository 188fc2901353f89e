package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Max pooling against a direct loop, on inputs full of ties and with NaNs: the first maximum wins, a NaN wins. */
class MaxPool2dTest {
    @ParameterizedTest(name = "k={0} s={1} p={2} {3}x{4}")
    @CsvSource({"2,2,0,7,8", "3,2,1,7,8", "2,1,0,7,8", "3,3,0,7,8", "3,2,1,11,37", "3,1,1,6,40", "5,2,2,13,50", "3,2,0,9,41", "3,2,1,10,40", "2,2,0,10,40", "2,2,0,9,35"})
    void matchesDirectLoopOnTiesAndNaN(int k, int s, int p, int h, int w) {
        int n = 2, c = 3;
        SplittableRandom r = new SplittableRandom(k * 31 + s * 7 + p);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(3);
        }
        x[5] = Float.NaN;
        x[w + 1] = Float.NaN;
        x[100] = Float.NaN;
        MaxPool2d pool = new MaxPool2d(k, s, p);
        Tensor y = pool.forward(new Tensor(Shape.of(n, c, h, w), x.clone()), false);
        int oh = y.dim(2), ow = y.dim(3);
        float[] ones = new float[y.size()];
        java.util.Arrays.fill(ones, 1f);
        float[] dx = pool.backward(new Tensor(y.shape(), ones)).data();
        float[] expectDx = new float[x.length];
        for (int pl = 0; pl < n * c; pl++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float best = 0;
                    int at = -1;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int iy = i * s - p + u, ix = j * s - p + v;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                continue;
                            }
                            float val = x[pl * h * w + iy * w + ix];
                            if (at < 0 || val > best || Float.isNaN(val)) {
                                best = val;
                                at = pl * h * w + iy * w + ix;
                            }
                        }
                    }
                    int o = (pl * oh + i) * ow + j;
                    assertEquals(Float.floatToIntBits(best), Float.floatToIntBits(y.data()[o]), "maxpool2d output " + o);
                    expectDx[at] += 1f;
                }
            }
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(expectDx[i], dx[i], "maxpool2d gradient at input " + i);
        }
    }
}
