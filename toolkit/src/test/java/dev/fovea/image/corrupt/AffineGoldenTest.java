package dev.fovea.image.corrupt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rotate, shear and scale agree with scikit-image's {@code warp} (order 1, constant 0 fill, the map about the image
 * centre), the resampling of MNIST-C, on a non-square colour image and a 28x28 grayscale one
 * ({@code fixtures/make_augment_golden.py}).
 */
class AffineGoldenTest {
    private static final Path DIR = FixturePaths.fixture("golden", "augment");

    @Test
    void warpsMatchScikitImage() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        double tol = manifest.get("warp_tolerance").asDouble();
        JsonNode warps = manifest.get("warps");
        int checked = 0;
        for (String which : new String[] {"3", "1"}) {
            NpyArray x = Npy.read(DIR.resolve("warp_x" + which + ".npy"));
            NpyArray y = Npy.read(DIR.resolve("warp_y" + which + ".npy"));
            int[] s = x.shape();
            Tensor image = new Tensor(Shape.of(1, s[0], s[1], s[2]), x.floats());
            int size = x.size();
            for (int k = 0; k < warps.size(); k++) {
                String kind = warps.get(k).get(0).asText();
                double p = warps.get(k).get(1).asDouble();
                Tensor out = switch (kind) {
                    case "rotate" -> new Rotate().apply(image, new Rotate.Params(Math.toDegrees(p), false), 0, 0);
                    case "shear" -> new Shear().apply(image, new Shear.Params(Math.toDegrees(p), false), 0, 0);
                    case "scale" -> new Rescale().apply(image, new Rescale.Params(p), 0, 0);
                    default -> throw new IllegalStateException("unknown warp " + kind);
                };
                for (int i = 0; i < size; i++) {
                    float want = y.floats()[k * size + i];
                    assertEquals(want, out.data()[i], tol, kind + " " + p + " on " + image.shape() + " at " + i);
                }
                checked++;
            }
        }
        assertEquals(2 * warps.size(), checked);
        assertTrue(checked >= 10, "golden warps checked: " + checked);
    }
}
