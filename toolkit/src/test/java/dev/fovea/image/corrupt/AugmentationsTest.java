package dev.fovea.image.corrupt;

import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each augmentation does beyond the registry-wide properties: exact permutations, shifts, tables. */
class AugmentationsTest {
    private static final Tensor SQUARE = CorruptionDigest.images(2, 3, 7, 7, 31);
    private static final Tensor WIDE = CorruptionDigest.images(2, 1, 5, 9, 32);

    /** {@code x[n, c, r, col]}. */
    private static float at(Tensor x, int n, int c, int r, int col) {
        return x.data()[((n * x.dim(1) + c) * x.dim(2) + r) * x.dim(3) + col];
    }

    private static void eachPixel(Tensor x, PixelCheck check) {
        for (int n = 0; n < x.dim(0); n++) {
            for (int c = 0; c < x.dim(1); c++) {
                for (int r = 0; r < x.dim(2); r++) {
                    for (int col = 0; col < x.dim(3); col++) {
                        check.at(n, c, r, col);
                    }
                }
            }
        }
    }

    private interface PixelCheck {
        void at(int n, int c, int r, int col);
    }

    private static Tensor rotate(Tensor x, double degrees) {
        return new Rotate().apply(x, new Rotate.Params(degrees, false), 0, 0);
    }

    @Test
    void flipsAreExactPermutations() {
        for (Tensor x : new Tensor[] {SQUARE, WIDE}) {
            Tensor h = new HorizontalFlip().apply(x, 1, 0);
            Tensor v = new VerticalFlip().apply(x, 4, 0);
            int width = x.dim(3);
            int height = x.dim(2);
            eachPixel(x, (n, c, r, col) -> {
                assertEquals(at(x, n, c, r, width - 1 - col), at(h, n, c, r, col));
                assertEquals(at(x, n, c, height - 1 - r, col), at(v, n, c, r, col));
            });
            assertArrayEquals(x.data(), new HorizontalFlip().apply(h, 2, 0).data(), "hflip twice");
            assertArrayEquals(x.data(), new VerticalFlip().apply(v, 2, 0).data(), "vflip twice");
            float[] a = x.data().clone();
            float[] b = h.data().clone();
            Arrays.sort(a);
            Arrays.sort(b);
            assertArrayEquals(a, b, "the same values");
        }
        assertFalse(new HorizontalFlip().graded() || new HorizontalFlip().random() || new VerticalFlip().graded());
    }

    @Test
    void quarterTurnsAreExactPermutations() {
        Tensor x = SQUARE;
        int s = x.dim(2);
        Tensor q = rotate(x, 90);
        eachPixel(x, (n, c, r, col) -> assertEquals(at(x, n, c, col, s - 1 - r), at(q, n, c, r, col), "counter-clockwise quarter turn"));
        assertArrayEquals(x.data(), rotate(rotate(rotate(q, 90), 90), 90).data(), "four quarter turns");
        assertArrayEquals(rotate(x, 270).data(), rotate(x, -90).data());
        assertArrayEquals(rotate(x, 450).data(), q.data());
        Tensor half = rotate(x, 180);
        Tensor both = new VerticalFlip().apply(new HorizontalFlip().apply(x, 1, 0), 1, 0);
        assertArrayEquals(both.data(), half.data(), "a half turn is both flips");
        Tensor wide = rotate(WIDE, 180);
        assertArrayEquals(new VerticalFlip().apply(new HorizontalFlip().apply(WIDE, 1, 0), 1, 0).data(), wide.data(), "a half turn of a non-square image");
    }

    @Test
    void rotationEitherWayGivesOneOfTheTwoTurns() {
        Tensor x = CorruptionDigest.images(8, 1, 12, 12, 33);
        Rotate r = new Rotate();
        double deg = r.parameters(2, 28, 28).degrees();
        assertEquals(Math.toDegrees(0.4), deg, 1e-12, "MNIST-C's severity 2: 0.4 radians");
        Tensor y = r.apply(x, 2, 5);
        float[] plus = rotate(x, deg).data();
        float[] minus = rotate(x, -deg).data();
        int size = 144;
        int[] counts = new int[2];
        for (int n = 0; n < 8; n++) {
            float[] got = Arrays.copyOfRange(y.data(), n * size, (n + 1) * size);
            boolean p = Arrays.equals(got, Arrays.copyOfRange(plus, n * size, (n + 1) * size));
            boolean m = Arrays.equals(got, Arrays.copyOfRange(minus, n * size, (n + 1) * size));
            assertTrue(p || m, "image " + n + " turned by neither angle");
            counts[p ? 0 : 1]++;
        }
        assertTrue(counts[0] > 0 && counts[1] > 0, "both directions among 8 images: " + Arrays.toString(counts));
    }

    @Test
    void translationByWholePixelsIsAShift() {
        for (Tensor x : new Tensor[] {SQUARE, WIDE}) {
            for (int[] d : new int[][] {{2, -1}, {-3, 4}, {0, 0}, {20, 0}}) {
                Tensor y = new Translate().apply(x, new Translate.Params(d[0], d[1], false), 0, 0);
                eachPixel(x, (n, c, r, col) -> {
                    int fr = r - d[1];
                    int fc = col - d[0];
                    float want = fr < 0 || fr >= x.dim(2) || fc < 0 || fc >= x.dim(3) ? 0f : at(x, n, c, fr, fc);
                    assertEquals(want, at(y, n, c, r, col), "shift " + Arrays.toString(d) + " at " + r + "," + col);
                });
            }
        }
        Translate t = new Translate();
        assertEquals(new Translate.Params(3, 3, true), t.parameters(3, 28, 28), "MNIST-C's severity 3 on 28x28");
        assertEquals(new Translate.Params(6, 6, true), t.parameters(5, 32, 32), "5 of 28 scaled to 32, rounded");
        assertEquals(new Translate.Params(1, 2, true), t.parameters(2, 28, 14), "scaled per axis");
    }

    @Test
    void tablesScaleWithTheImage() {
        assertEquals(16, new Cutout().parameters(3, 32, 32).length(), "the paper's CIFAR-10 length");
        assertEquals(14, new Cutout().parameters(3, 28, 28).length());
        assertEquals(112, new Cutout().parameters(3, 224, 240).length());
        assertEquals(7, new Stripes().parameters(3, 28, 28).width(), "MNIST-C's 7 of 28 columns");
        assertEquals(0.7, new Rescale().parameters(3, 28, 28).factor(), 0, "MNIST-C's severity 3");
        assertEquals(Math.toDegrees(0.4), new Shear().parameters(2, 99, 7).degrees(), 1e-12, "MNIST-C's severity 2, any size");
    }

    @Test
    void cutoutBlacksOutOneSquare() {
        Tensor x = Tensor.full(dev.fovea.tensor.Shape.of(20, 3, 16, 16), 0.5f);
        Tensor y = new Cutout().apply(x, new Cutout.Params(6), 9, 0);
        int full = 0;
        for (int n = 0; n < 20; n++) {
            int minR = 99;
            int maxR = -1;
            int minC = 99;
            int maxC = -1;
            int zeros = 0;
            for (int r = 0; r < 16; r++) {
                for (int col = 0; col < 16; col++) {
                    float v = at(y, n, 0, r, col);
                    for (int c = 1; c < 3; c++) {
                        assertEquals(v, at(y, n, c, r, col), "every channel alike");
                    }
                    if (v == 0f) {
                        zeros++;
                        minR = Math.min(minR, r);
                        maxR = Math.max(maxR, r);
                        minC = Math.min(minC, col);
                        maxC = Math.max(maxC, col);
                    } else {
                        assertEquals(0.5f, v);
                    }
                }
            }
            assertTrue(zeros > 0 && zeros == (maxR - minR + 1) * (maxC - minC + 1), "image " + n + ": one filled rectangle");
            assertTrue(maxR - minR < 6 && maxC - minC < 6, "image " + n + ": at most 6x6");
            full += zeros == 36 ? 1 : 0;
        }
        assertTrue(full > 0, "some squares lie wholly inside");
    }

    @Test
    void stripesInvertTheSideColumns() {
        Tensor x = CorruptionDigest.images(1, 1, 28, 28, 34);
        Tensor y = new Stripes().apply(x, 3, 0);
        eachPixel(x, (n, c, r, col) -> {
            boolean inverted = col < 7 || col >= 21;
            assertEquals(inverted ? 1f - at(x, n, c, r, col) : at(x, n, c, r, col), at(y, n, c, r, col), 0f);
        });
    }

    @Test
    void colourChangesDoWhatTheySay() {
        Tensor x = CorruptionDigest.images(3, 3, 6, 6, 35);
        Tensor g = new Gamma().apply(x, new Gamma.Params(2, false), 0, 0);
        for (int i = 0; i < x.size(); i++) {
            assertEquals((float) Math.pow(x.data()[i], 2), g.data()[i], 0f);
        }
        Tensor red = Tensor.of(new float[] {1f, 0f, 0f}, 1, 3, 1, 1);
        Tensor green = new HueShift().apply(red, new HueShift.Params(1.0 / 3, false), 0, 0);
        assertArrayEquals(new float[] {0f, 1f, 0f}, green.data(), 1e-6f, "red turned a third of the circle is green");
        Tensor s = new ChannelShift().apply(Tensor.full(dev.fovea.tensor.Shape.of(4, 3, 5, 5), 0.5f), new ChannelShift.Params(0.1), 3, 0);
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 3; c++) {
                float first = s.data()[(n * 3 + c) * 25];
                assertTrue(Math.abs(first - 0.5f) <= 0.1f + 1e-6f, "within the limit: " + first);
                for (int i = 0; i < 25; i++) {
                    assertEquals(first, s.data()[(n * 3 + c) * 25 + i], "one shift per channel");
                }
            }
        }
    }
}
