package dev.fovea.data;

import dev.fovea.image.Images;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSpecTest {
    @TempDir
    Path dir;

    /** Writes {@code n} 3x2 images and labels {@code 0..n-1 mod 10} as {@code prefix-images-idx3-ubyte[.gz]}. */
    static Path writeIdx(Path dir, String prefix, int n, boolean gzip) throws IOException {
        byte[] px = new byte[n * 3 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        String gz = gzip ? ".gz" : "";
        Path images = dir.resolve(prefix + "-images-idx3-ubyte" + gz);
        Idx.writeImages(images, px, n, 3, 2, gzip);
        Idx.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte" + gz), labels, gzip);
        return images;
    }

    @Test
    void fashionMnistReadsTheTestSplitFromTheDataDir() throws IOException {
        writeIdx(dir, "t10k", 5, true);
        writeIdx(dir, "train", 7, false);
        Dataset test = DataSpec.load("fashion-mnist", dir, null, null);
        assertEquals(5, test.size());
        assertEquals(Shape.of(1, 3, 2), test.sampleShape());
        assertEquals(DataSpec.FASHION_MNIST_CLASSES, test.classNames());
        assertEquals("T-shirt/top", test.classNames().get(0));
        assertEquals("Ankle boot", test.classNames().get(9));
        assertTrue(test.source().startsWith("fashion-mnist:test"), test.source());
        assertEquals(5, DataSpec.load("fashion-mnist:test", dir, null, Shape.of(1, 3, 2)).size());
        assertEquals(7, DataSpec.load("fashion-mnist:train", dir, null, null).size());
    }

    @Test
    void fashionMnistDirComesFromTheEnvironmentOrASubFolder() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("fashion-mnist"));
        writeIdx(sub, "t10k", 4, false);
        assertEquals(4, DataSpec.load("fashion-mnist", null, null, null, null, dir.toString()).size());
        assertEquals(4, DataSpec.load("fashion-mnist", dir, null, null, null, "/elsewhere").size());
    }

    @Test
    void fashionMnistNotFoundSaysHowToInstallIt() {
        Path missing = dir.resolve("nothing-here");
        DataNotFoundException e = assertThrows(DataNotFoundException.class,
                () -> DataSpec.load("fashion-mnist", missing, null, null));
        assertEquals("fashion-mnist: not found in " + missing + " (install it with 'apt-get install dataset-fashion-mnist',"
                + " or point --data-dir / FOVEA_DATA at a folder holding the IDX files)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSpec.load("fashion-mnist:valid", dir, null, null));
        assertThrows(IllegalArgumentException.class, () -> DataSpec.load(" ", dir, null, null));
    }

    @Test
    void idxFileFindsItsLabelsAndClassesTxt() throws IOException {
        Path images = writeIdx(dir, "mnist", 12, true);
        Dataset d = DataSpec.load(images.toString(), null, null, null);
        assertEquals(12, d.size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.classNames());

        Files.write(dir.resolve("classes.txt"), List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", ""));
        assertEquals("j", DataSpec.load(images.toString(), null, null, null).classNames().get(9));
    }

    @Test
    void directoryOfIdxFilesReadsTheTestSplitOrTrainWithSuffix() throws IOException {
        writeIdx(dir, "t10k", 3, false);
        writeIdx(dir, "train", 6, true);
        assertEquals(3, DataSpec.load(dir.toString(), null, null, null).size());
        assertEquals(6, DataSpec.load(dir + ":train", null, null, null).size());
        assertEquals(3, DataSpec.load(dir + ":test", null, null, null).size());
    }

    @Test
    void npyNeedsLabelsAndNumbersItsClasses() throws IOException {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        Npy.write(x, Tensor.full(Shape.of(4, 3, 2, 2), 0.5f));
        Npy.writeLabels(y, new int[] {0, 2, 1, 2});
        Dataset d = DataSpec.load(x.toString(), null, y, null);
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new int[] {0, 2, 1, 2}, d.labels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSpec.load(x.toString(), null, null, null));
        assertTrue(e.getMessage().contains("need a labels file"), e.getMessage());

        Npy.writeLabels(y, new int[] {0, 1});
        DataFormatException f = assertThrows(DataFormatException.class, () -> DataSpec.load(x.toString(), null, y, null));
        assertTrue(f.getMessage().contains("expected 4 labels (one per image in x.npy), got 2"), f.getMessage());
    }

    @Test
    void otherDirectoriesAreImageFolders() throws IOException {
        Path img = Files.createDirectories(dir.resolve("shirt")).resolve("1.png");
        Images.writePng(img, Tensor.zeros(3, 8, 8));
        Dataset d = DataSpec.load(dir.toString(), null, null, Shape.of(1, 4, 4));
        assertEquals(Shape.of(1, 4, 4), d.sampleShape());
        assertEquals(List.of("shirt"), d.classNames());
    }

    @Test
    void missingPathAndWrongShapeAreReported() throws IOException {
        String missing = dir.resolve("nope.npy").toString();
        DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> DataSpec.load(missing, null, null, null));
        assertEquals(missing + ": no such file or directory", e.getMessage());

        writeIdx(dir, "t10k", 2, false);
        DataFormatException f = assertThrows(DataFormatException.class,
                () -> DataSpec.load(dir.toString(), null, null, Shape.of(3, 32, 32)));
        assertTrue(f.getMessage().endsWith("expected samples of shape [3,32,32], got [1,3,2]"), f.getMessage());
    }

    @Test
    void fixtureSliceHoldsAThousandImagesOfAllTenClasses() throws IOException {
        Path slice = FixturePaths.fixture("data", "fashion-mnist-1k");
        Dataset d = DataSpec.load(slice.toString(), null, null, Shape.of(1, 28, 28));
        assertEquals(1000, d.size());
        assertEquals(Shape.of(1000, 1, 28, 28), d.images().shape());
        assertEquals(DataSpec.FASHION_MNIST_CLASSES, d.classNames());
        int[] counts = new int[10];
        for (int y : d.labels()) {
            counts[y]++;
        }
        assertTrue(Arrays.stream(counts).allMatch(c -> c > 0), Arrays.toString(counts));
        assertEquals(1000, DataSpec.load("fashion-mnist", slice, null, null).size());
    }
}
