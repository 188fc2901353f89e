package dev.fovea.image.corrupt;

import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties every registered corruption must have; a corruption registered later is covered without a new row. */
class CorruptionPropertiesTest {
    /** Sizes the template must handle: CIFAR, Fashion-MNIST, a non-square one, and one on the ImageNet table. */
    private static final int[][] SIZES = {{32, 32}, {28, 28}, {17, 40}, {96, 80}};

    private static Stream<DynamicTest> each(String what, java.util.function.Consumer<Corruption<?>> check) {
        return Corruptions.all().stream().map(c -> DynamicTest.dynamicTest(c.name() + ": " + what, () -> check.accept(c)));
    }

    private static List<Integer> channels(Corruption<?> c) {
        return c.colourOnly() ? List.of(3) : List.of(1, 3);
    }

    @TestFactory
    Stream<DynamicTest> identityReturnsTheInputExactly() {
        return each("identity", c -> {
            for (int ch : channels(c)) {
                for (int[] hw : SIZES) {
                    Tensor x = CorruptionDigest.images(3, ch, hw[0], hw[1], 5);
                    Tensor y = applyIdentity(c, x);
                    assertArrayEquals(x.data(), y.data(), c.name() + " identity on " + x.shape());
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <P> Tensor applyIdentity(Corruption<P> c, Tensor x) {
        return c.apply(x, c.identity(), 3, 0);
    }

    @TestFactory
    Stream<DynamicTest> keepsShapeAndBoxAndNeverChangesItsInput() {
        return each("shape, box, input", c -> {
            for (int ch : channels(c)) {
                for (int[] hw : SIZES) {
                    Tensor x = CorruptionDigest.images(2, ch, hw[0], hw[1], 6);
                    float[] before = x.data().clone();
                    for (int s = 1; s <= 5; s++) {
                        Tensor y = c.apply(x, s, 9);
                        assertEquals(x.shape(), y.shape(), c.name() + " severity " + s);
                        for (float v : y.data()) {
                            assertTrue(v >= 0f && v <= 1f, c.name() + " severity " + s + " gave " + v);
                        }
                    }
                    assertArrayEquals(before, x.data(), c.name() + " changed its input");
                }
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> changesImagesAtEverySeverity() {
        return each("changes", c -> {
            Tensor x = CorruptionDigest.images(2, 3, 32, 32, 8);
            for (int s = 1; s <= 5; s++) {
                assertFalse(Arrays.equals(x.data(), c.apply(x, s, 1).data()), c.name() + " severity " + s + " changed nothing");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> seedAndChunkingDecideTheOutput() {
        return each("seed", c -> {
            Tensor x = CorruptionDigest.images(5, 3, 32, 32, 9);
            Tensor a = c.apply(x, 3, 42);
            assertArrayEquals(a.data(), c.apply(x, 3, 42).data(), c.name() + ": same seed, other output");
            Tensor head = c.apply(x.slice(0, 2), 3, 42, 0);
            Tensor tail = c.apply(x.slice(2, 5), 3, 42, 2);
            float[] joined = new float[a.size()];
            System.arraycopy(head.data(), 0, joined, 0, head.size());
            System.arraycopy(tail.data(), 0, joined, head.size(), tail.size());
            assertArrayEquals(a.data(), joined, c.name() + ": chunks give other images than the whole batch");
            if (c.random()) {
                assertFalse(Arrays.equals(a.data(), c.apply(x, 3, 43).data()), c.name() + ": another seed, same output");
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> describesEverySeverity() {
        return each("parameters", c -> {
            assertFalse(c.describe().isBlank());
            for (int s = 1; s <= 5; s++) {
                assertFalse(c.describeParameters(s, 32, 32).isBlank());
                assertFalse(c.describeParameters(s, 224, 224).isBlank());
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> refusesBadInput() {
        return each("bad input", c -> {
            Tensor x = CorruptionDigest.images(1, 3, 8, 8, 1);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.apply(x, 0, 1)).getMessage().contains("severity from 1 to 5"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.apply(x, 6, 1)).getMessage().contains("got 6"));
            assertThrows(ShapeException.class, () -> c.apply(Tensor.zeros(1, 2, 8, 8), 1, 1));
            assertThrows(ShapeException.class, () -> c.apply(Tensor.zeros(3, 8, 8), 1, 1));
            Tensor nan = x.copy();
            nan.data()[5] = Float.NaN;
            assertTrue(assertThrows(IllegalArgumentException.class, () -> c.apply(nan, 1, 1)).getMessage().contains("index 5"));
            Tensor big = x.copy();
            big.data()[2] = 1.5f;
            assertThrows(IllegalArgumentException.class, () -> c.apply(big, 1, 1));
            if (c.colourOnly()) {
                String m = assertThrows(ShapeException.class, () -> c.apply(Tensor.zeros(1, 1, 8, 8), 1, 1)).getMessage();
                assertTrue(m.contains("colour"), m);
            }
        });
    }

    @Test
    void sameBytesWithOneAndTwoThreads() throws Exception {
        Map<String, String> here = CorruptionDigest.digests();
        for (String threads : List.of("1", "2")) {
            List<String> lines = child(threads);
            List<String> expected = new ArrayList<>();
            here.forEach((k, v) -> expected.add(k + " " + v));
            assertEquals(expected, lines, "digests with " + threads + " thread(s)");
        }
    }

    private static List<String> child(String threads) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Dfovea.threads=" + threads, "-cp", System.getProperty("java.class.path"),
                CorruptionDigest.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void parametersReadAsTheTablesWriteThem() {
        assertEquals("sigma=0.04", new GaussianNoise().describeParameters(1, 32, 32));
        record P(double a, double[] b, int c, double d) {
        }
        assertEquals("a=1.14, b=[1 1.01 0.3], c=3, d=Infinity", Corruption.format(new P(1 + 14 * 0.01, new double[] {1, 1.01, 0.1 * 3}, 3,
                Double.POSITIVE_INFINITY)));
    }

    @Test
    void registryNamesAreUniqueAndUnknownNamesListTheKnown() {
        String m = assertThrows(IllegalArgumentException.class, () -> Corruptions.named("gausian-noise")).getMessage();
        assertTrue(m.contains("gaussian-noise") && m.contains("brightness"), m);
        assertThrows(IllegalArgumentException.class, () -> Corruptions.register(new Brightness()));
    }
}
