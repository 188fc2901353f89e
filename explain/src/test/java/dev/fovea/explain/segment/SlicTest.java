package dev.fovea.explain.segment;

import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.data.NpyArray;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SLIC against scikit-image's labels in {@code fixtures/golden/slic} (made by {@code fixtures/make_slic_golden.py}):
 * equal at every pixel, for grayscale and colour images at several segment counts and compactness values.
 */
class SlicTest {
    @ParameterizedTest(name = "{0} segments={1} compactness={2}")
    @CsvSource({"lenet5,100,10", "lenet5,50,0.1", "lenet5,25,1", "lenet5,200,0.05",
            "resnet20,100,10", "resnet20,50,20", "resnet20,200,5", "resnet20,30,2"})
    void labelsMatchScikitImage(String images, int segments, String compactness) throws IOException {
        Tensor x = Npy.read(FixturePaths.fixture("golden", images).resolve("x.npy")).toTensor();
        Path file = FixturePaths.fixture("golden", "slic").resolve(images + "_" + segments + "_" + compactness + ".npy");
        NpyArray golden = Npy.read(file);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        assertArrayEquals(new int[] {n, h, w}, golden.shape());
        for (int i = 0; i < n; i++) {
            Segments s = Slic.segment(x.data(), i * c * h * w, c, h, w, segments, Double.parseDouble(compactness));
            int mismatches = 0;
            int first = -1;
            int max = -1;
            for (int p = 0; p < h * w; p++) {
                int want = (int) golden.longs()[i * h * w + p];
                max = Math.max(max, want);
                if (want != s.labels()[p]) {
                    mismatches++;
                    first = first < 0 ? p : first;
                }
            }
            assertEquals(0, mismatches, images + " image " + i + ": " + mismatches + " pixels differ, the first at " + first);
            assertEquals(max + 1, s.count(), images + " image " + i + ": label count");
            for (int size : s.sizes()) {
                assertTrue(size > 0, "every label has pixels");
            }
        }
    }

    @Test
    void theGridStartsAsScikitImagesRegularGrid() {
        assertArrayEquals(new int[][] {{1, 1}, {3, 3}}, Slic.regularGrid(28, 28, 100), "9x9 centres from 1 in steps of 3");
        assertArrayEquals(new int[][] {{0, 0}, {1, 1}}, Slic.regularGrid(4, 4, 100), "fewer pixels than segments: every pixel");
        assertArrayEquals(new int[][] {{2, 2}, {5, 5}}, Slic.regularGrid(32, 32, 50));
    }

    @Test
    void labOfPrimariesAndGrey() {
        assertArrayEquals(new double[] {100, 0, 0}, Slic.lab(1, 1, 1), 0.01);
        assertArrayEquals(new double[] {0, 0, 0}, Slic.lab(0, 0, 0), 1e-9);
        double[] red = Slic.lab(1, 0, 0);
        assertEquals(53.24, red[0], 0.01);
        assertEquals(80.09, red[1], 0.01);
        assertEquals(67.20, red[2], 0.01);
    }

    @Test
    void gridCellsCoverTheImage() {
        Segments g = Grid.segment(5, 7, 3);
        assertEquals(6, g.count());
        assertEquals(0, g.labels()[0]);
        assertEquals(2, g.labels()[6]);
        assertEquals(5, g.labels()[4 * 7 + 6]);
        assertArrayEquals(new int[] {9, 9, 3, 6, 6, 2}, g.sizes());
        assertThrows(IllegalArgumentException.class, () -> Grid.segment(5, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Slic.segment(new float[4], 0, 1, 2, 2, 0, 10));
    }
}
