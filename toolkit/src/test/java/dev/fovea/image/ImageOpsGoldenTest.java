package dev.fovea.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The AugMix operations agree with Pillow 9.4 to the byte on a Fashion-MNIST image (mode L), a colour image and a
 * non-square one ({@code fixtures/make_augment_golden.py}).
 */
class ImageOpsGoldenTest {
    private static final Path DIR = FixturePaths.fixture("golden", "augment");

    private static int[] ints(NpyArray a, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (a.isFloat() ? a.floats()[from + i] : a.longs()[from + i]);
        }
        return out;
    }

    static int[] apply(String op, double p, int[] px, int c, int h, int w) {
        return switch (op) {
            case "autocontrast" -> ImageOps.autocontrast(px, c, h, w);
            case "equalize" -> ImageOps.equalize(px, c, h, w);
            case "posterize" -> ImageOps.posterize(px, (int) p);
            case "solarize" -> ImageOps.solarize(px, (int) p);
            case "rotate" -> ImageOps.rotate(px, c, h, w, p);
            case "shear_x" -> ImageOps.affine(px, c, h, w, new double[] {1, p, 0, 0, 1, 0});
            case "shear_y" -> ImageOps.affine(px, c, h, w, new double[] {1, 0, 0, p, 1, 0});
            case "translate_x" -> ImageOps.affine(px, c, h, w, new double[] {1, 0, p, 0, 1, 0});
            case "translate_y" -> ImageOps.affine(px, c, h, w, new double[] {1, 0, 0, 0, 1, p});
            default -> throw new IllegalStateException("unknown op " + op);
        };
    }

    @Test
    void operationsMatchPillowToTheByte() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        JsonNode ops = manifest.get("pil_ops");
        for (String name : new String[] {"gray", "rgb", "wide"}) {
            NpyArray in = Npy.read(DIR.resolve("pil_" + name + "_in.npy"));
            NpyArray out = Npy.read(DIR.resolve("pil_" + name + "_out.npy"));
            int c = in.shape()[0];
            int h = in.shape()[1];
            int w = in.shape()[2];
            int size = in.size();
            int[] px = ints(in, 0, size);
            int[] before = px.clone();
            assertEquals(ops.size() * size, out.size());
            for (int k = 0; k < ops.size(); k++) {
                String op = ops.get(k).get(0).asText();
                double p = ops.get(k).get(1).asDouble();
                assertArrayEquals(ints(out, k * size, size), apply(op, p, px, c, h, w), op + " " + p + " on " + name);
            }
            assertArrayEquals(before, px, "the operations changed their input");
        }
    }

    @Test
    void toBytesRoundsAndRejectsBadBits() {
        assertArrayEquals(new int[] {0, 1, 128, 255, 255, 0}, ImageOps.toBytes(new float[] {0f, 1f / 255, 0.5f, 1f, 1.2f, -0.1f}));
        assertThrows(IllegalArgumentException.class, () -> ImageOps.posterize(new int[1], 0));
    }
}
