package dev.fovea.image.corrupt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic corruptions (brightness, contrast, saturate, pixelate, gaussian blur) against the published
 * generators' definitions, computed in float64 by {@code fixtures/corruptions_golden.py} into
 * {@code fixtures/golden/corruptions}: five 32x32 colour images (three made from a seeded generator, two CIFAR-10
 * test JPEGs) on the CIFAR-10-C table, a 28x28 Fashion-MNIST image for the grayscale rule, and a 224x224 image on
 * the ImageNet-C table (two 24x24 windows of it and the mean of every output channel), at severities 1 to 5.
 * Corruptions are looked up in the registry by name.
 *
 * <p>Tolerances come from the manifest, per image group, corruption and severity, and say why they are what they
 * are: the golden values are float64 results from exact {@code k/255} inputs, fovea's are float32 in and out; the
 * script measures how far float32 rounding of the input and the output moves the float64 result ({@code d}, about
 * 1e-7) and allows {@code 4 d + 1e-5}, the 1e-5 for float32 arithmetic inside (a blur kernel's taps accumulated in
 * float). Pixelate is defined on 8-bit images by PIL's fixed-point BOX filter: one grey level, {@code 1/255 + 1e-6}.
 * At every severity the golden values move some pixel by more than five times the tolerance, so an identity fails.
 */
class CorruptionGoldenTest {
    private static final Path DIR = FixturePaths.fixture("golden", "corruptions");
    private static final Set<String> GOLDEN = Set.of("brightness", "contrast", "saturate", "pixelate", "gaussian-blur");

    private static JsonNode manifest() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
    }

    /** A uint8 {@code .npy} of images as float32 pixels {@code k/255}. */
    private static Tensor bytesAsPixels(Path file) throws IOException {
        NpyArray a = Npy.read(file);
        assertTrue(a.dtype().endsWith("u1"), file + ": expected uint8 images, got " + a.dtype());
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (a.longs()[i] / 255.0);
        }
        return new Tensor(Shape.of(a.shape()), v);
    }

    @Test
    void manifestCoversEveryDeterministicCorruptionOnEveryGroup() throws IOException {
        JsonNode groups = manifest().get("groups");
        assertEquals(Set.of("small", "gray", "large"), names(groups));
        assertEquals(GOLDEN, names(groups.get("small").get("corruptions")));
        assertEquals(GOLDEN, names(groups.get("large").get("corruptions")));
        Set<String> gray = new TreeSet<>(GOLDEN);
        gray.remove("saturate"); // colours only: refused on grayscale
        assertEquals(gray, names(groups.get("gray").get("corruptions")));
    }

    @TestFactory
    List<DynamicTest> matchesTheGoldenValues() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> g = manifest().get("groups").fields(); g.hasNext(); ) {
            Map.Entry<String, JsonNode> group = g.next();
            for (Iterator<Map.Entry<String, JsonNode>> c = group.getValue().get("corruptions").fields(); c.hasNext(); ) {
                Map.Entry<String, JsonNode> corruption = c.next();
                tests.add(DynamicTest.dynamicTest(corruption.getKey() + " on " + group.getKey(),
                        () -> check(group.getKey(), group.getValue(), corruption.getKey(), corruption.getValue())));
            }
        }
        return tests;
    }

    private static void check(String group, JsonNode g, String name, JsonNode entry) throws IOException {
        Tensor x = bytesAsPixels(DIR.resolve(g.get("input").asText()));
        assertArrayEquals(ints(g.get("shape")), x.shape().dims(), group + ": input shape");
        Corruption<?> c = Corruptions.named(name);
        NpyArray golden = Npy.read(DIR.resolve(entry.get("file").asText()));
        NpyArray means = entry.has("means_file") ? Npy.read(DIR.resolve(entry.get("means_file").asText())) : null;
        int per = golden.size() / 5;
        for (int s = 1; s <= 5; s++) {
            double tol = entry.get("tolerance").get(s - 1).asDouble();
            String what = name + " severity " + s + " on " + group + " (" + c.describeParameters(s, x.dim(2), x.dim(3)) + ")";
            float[] got = c.apply(x, s, 0).data();
            float[] want = java.util.Arrays.copyOfRange(golden.floats(), (s - 1) * per, s * per);
            double change;
            if (means == null) {
                assertEquals(x.size(), per, what + ": golden size");
                change = compare(what, want, got, x.data(), i -> i, tol);
            } else {
                change = compareWindows(what, g.get("windows"), want, got, x, tol);
                compareMeans(what, java.util.Arrays.copyOfRange(means.floats(), (s - 1) * 3, s * 3), got, x, tol);
            }
            assertTrue(change > 5 * tol, what + ": the golden values change the input by only " + change + ", tolerance " + tol);
        }
    }

    /** {@code want[k]} against {@code got[index(k)]}; returns the golden values' largest change from the input. */
    private static double compare(String what, float[] want, float[] got, float[] in, java.util.function.IntUnaryOperator index, double tol) {
        double err = 0;
        double change = 0;
        int at = 0;
        for (int k = 0; k < want.length; k++) {
            int i = index.applyAsInt(k);
            double e = Math.abs((double) got[i] - want[k]);
            if (e > err) {
                err = e;
                at = k;
            }
            change = Math.max(change, Math.abs((double) want[k] - in[i]));
        }
        int i = index.applyAsInt(at);
        assertTrue(err <= tol, what + ": max |fovea - golden| " + err + " at index " + i + " (golden " + want[at]
                + ", fovea " + got[i] + ", input " + in[i] + "), allowed " + tol);
        return change;
    }

    /** The golden windows {@code [2, C, h, w]} of image 0 at {@code [row, col, h, w]} each; returns the largest change. */
    private static double compareWindows(String what, JsonNode windows, float[] want, float[] got, Tensor x, double tol) {
        int ch = x.dim(1);
        int height = x.dim(2);
        int width = x.dim(3);
        int offset = 0;
        double change = 0;
        for (JsonNode win : windows) {
            int r0 = win.get(0).asInt();
            int c0 = win.get(1).asInt();
            int h = win.get(2).asInt();
            int w = win.get(3).asInt();
            int size = ch * h * w;
            float[] part = java.util.Arrays.copyOfRange(want, offset, offset + size);
            change = Math.max(change, compare(what + ", window at " + r0 + "," + c0, part, got, x.data(),
                    k -> (k / (h * w)) * height * width + (r0 + (k / w) % h) * width + c0 + k % w, tol));
            offset += size;
        }
        assertEquals(want.length, offset, what + ": golden windows size");
        return change;
    }

    /** The mean of each output channel of image 0, over the whole image: within the pixel tolerance. */
    private static void compareMeans(String what, float[] want, float[] got, Tensor x, double tol) {
        int plane = x.dim(2) * x.dim(3);
        for (int ch = 0; ch < want.length; ch++) {
            double sum = 0;
            for (int i = 0; i < plane; i++) {
                sum += got[ch * plane + i];
            }
            double mean = sum / plane;
            assertTrue(Math.abs(mean - want[ch]) <= tol, what + ": mean of channel " + ch + " is " + mean + ", golden "
                    + want[ch] + ", allowed " + tol);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
