package dev.fovea.data;

import dev.fovea.image.Images;
import dev.fovea.image.Resize;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    @TempDir
    Path dir;

    private void png(String relative, int c, int h, int w, float value) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Images.writePng(p, Tensor.full(Shape.of(c, h, w), value));
    }

    @Test
    void readsOneClassPerSubFolderSortedByName() throws IOException {
        png("dog/b.png", 1, 4, 6, 2 / 255f);
        png("dog/A.PNG", 1, 4, 6, 1 / 255f);
        png("cat/z.png", 1, 4, 6, 3 / 255f);
        Files.writeString(dir.resolve("cat/readme.txt"), "not an image");
        Files.writeString(dir.resolve("stray.png"), "files at the top level are ignored");
        Files.createDirectories(dir.resolve(".ipynb_checkpoints"));

        Dataset d = ImageFolder.read(dir, null);
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());
        assertEquals(Shape.of(3, 1, 4, 6), d.images().shape());
        assertEquals(3 / 255f, d.images().get(0, 0, 0, 0));
        assertEquals(1 / 255f, d.images().get(1, 0, 0, 0), "A.PNG sorts before b.png");
        assertEquals(2 / 255f, d.images().get(2, 0, 0, 0));
        assertEquals(dir.toString(), d.source());
    }

    @Test
    void samplesTakeTheClassFoldersInTurnSoThatTheFirstOnesCoverEveryClass() throws IOException {
        png("cat/1.png", 1, 2, 2, 1 / 255f);
        png("cat/2.png", 1, 2, 2, 2 / 255f);
        png("cat/3.png", 1, 2, 2, 3 / 255f);
        png("dog/1.png", 1, 2, 2, 11 / 255f);
        png("emu/1.png", 1, 2, 2, 21 / 255f);
        png("emu/2.png", 1, 2, 2, 22 / 255f);
        Dataset d = ImageFolder.read(dir, null);
        assertArrayEquals(new int[] {0, 1, 2, 0, 2, 0}, d.labels());
        float[] first = new float[6];
        for (int i = 0; i < 6; i++) {
            first[i] = Math.round(d.images().get(i, 0, 0, 0) * 255);
        }
        assertArrayEquals(new float[] {1, 11, 21, 2, 22, 3}, first);
        assertArrayEquals(new int[] {0, 1, 2}, d.limit(3).labels(), "the first three images are one of each class");
    }

    @Test
    void colourFirstImageGivesThreeChannelsAndOthersAreConverted() throws IOException {
        png("a/1.png", 3, 5, 5, 0.4f);
        png("b/1.png", 1, 10, 10, 0.8f);
        Dataset d = ImageFolder.read(dir, null);
        assertEquals(Shape.of(2, 3, 5, 5), d.images().shape());
        assertEquals(Math.round(0.8f * 255) / 255f, d.images().get(1, 2, 4, 4), 1e-6f);
    }

    @Test
    void sampleShapeConvertsAndResizes() throws IOException {
        png("a/1.png", 3, 8, 8, 0.4f);
        png("b/1.png", 1, 3, 5, 0.2f);
        Dataset d = ImageFolder.read(dir, Shape.of(1, 4, 4));
        assertEquals(Shape.of(2, 1, 4, 4), d.images().shape());
        assertThrows(ShapeException.class, () -> ImageFolder.read(dir, Shape.of(2, 4, 4)));
    }

    @Test
    void emptyClassFolderStillCountsAsAClass() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        png("b/1.png", 1, 2, 2, 0f);
        Dataset d = ImageFolder.read(dir, null);
        assertEquals(List.of("a", "b"), d.classNames());
        assertArrayEquals(new int[] {1}, d.labels());
    }

    /** For a model, folders name its classes (in any order, normalised), a subset is fine and labels are its indices. */
    @Test
    void foldersAreMatchedToTheModelsClassesByName() throws IOException {
        png("ankle_boot/1.png", 3, 2, 2, 1 / 255f);
        png("T-shirt_top/1.png", 3, 2, 2, 2 / 255f);
        png("trouser/1.png", 3, 2, 2, 3 / 255f);
        png("trouser/2.png", 3, 2, 2, 4 / 255f);
        Dataset d = ImageFolder.read(dir, Shape.of(3, 2, 2), DataSpec.FASHION_MNIST_CLASSES);
        assertEquals(DataSpec.FASHION_MNIST_CLASSES, d.classNames());
        // folders sort as T-shirt_top, ankle_boot, trouser (code points): labels follow the names, not that order
        assertArrayEquals(new int[] {0, 9, 1, 1}, d.labels());
        assertEquals(2 / 255f, d.images().get(0, 0, 0, 0));
        assertEquals(1 / 255f, d.images().get(1, 0, 0, 0));
    }

    @Test
    void nameNormalisationIgnoresCaseSeparatorsAndUnicodeForm() {
        assertEquals("tshirttop", ClassNames.normalize("T-shirt/top"));
        assertEquals(ClassNames.normalize("T-shirt/top"), ClassNames.normalize(" t_SHIRT top "));
        assertEquals(ClassNames.normalize("ankle boot"), ClassNames.normalize("Ankle-Boot"));
        assertEquals(ClassNames.normalize("caf\u00e9"), ClassNames.normalize("Cafe\u0301"), "composed and decomposed e acute");
    }

    @Test
    void anExactNameWinsOverANormalisedOne() throws IOException {
        assertArrayEquals(new int[] {1, 0}, ClassNames.match(dir, List.of("a b", "ab"), List.of("ab", "a b")));
    }

    @Test
    void aFolderThatNamesNoClassIsAnErrorNamingItAndTheClasses() throws IOException {
        png("cat/1.png", 3, 2, 2, 0f);
        png("zebra/1.png", 3, 2, 2, 0f);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, null, List.of("cat", "dog")));
        assertEquals(dir + ": class folder 'zebra' matches none of the model's 2 classes (cat, dog); names are compared ignoring case,"
                + " spaces, '_', '-' and '/'", e.getMessage());
    }

    @Test
    void twoFoldersForOneClassAndAmbiguousNamesAreErrors() throws IOException {
        DataFormatException twice = assertThrows(DataFormatException.class,
                () -> ClassNames.match(dir, List.of("Cat", "cat_"), List.of("cat", "dog")));
        assertEquals(dir + ": class folders 'Cat' and 'cat_' both name the model's class 'cat'", twice.getMessage());
        DataFormatException both = assertThrows(DataFormatException.class,
                () -> ClassNames.match(dir, List.of("A-B"), List.of("a b", "a_b")));
        assertEquals(dir + ": class folder 'A-B' matches several of the model's classes (a b, a_b); name the folder exactly as one of"
                + " them", both.getMessage());
    }

    @Test
    void folderWithoutImagesGivesTheClearMessage() throws IOException {
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, null));
        assertEquals(dir + ": no images found (expected one sub-folder per class holding PNG, JPEG, BMP or GIF files)",
                e.getMessage());
        Files.createDirectories(dir.resolve("empty-class"));
        Images.writePng(dir.resolve("loose.png"), Tensor.zeros(1, 2, 2));
        e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, null));
        assertEquals(dir + ": no images found (expected one sub-folder per class holding PNG, JPEG, BMP or GIF files)",
                e.getMessage());
        assertThrows(DataNotFoundException.class, () -> ImageFolder.read(dir.resolve("missing"), null));
    }

    @Test
    void aFolderOverTheImageCapIsRefusedBeforeItsImagesAreRead() throws IOException {
        png("a/1.png", 1, 2, 2, 0f);
        png("a/2.png", 1, 2, 2, 0f);
        png("b/3.png", 1, 2, 2, 0f);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.read(dir, null, null, Resize.DEFAULT, 2));
        assertTrue(e.getMessage().contains("more than 2 images"), e.getMessage());
        assertEquals(3, ImageFolder.read(dir, null, null, Resize.DEFAULT, 3).size());
    }

    @Test
    void imagesOfAnotherSizeAreFittedByTheModeAndCounted() throws IOException {
        Path a = dir.resolve("a/wide.png");
        Files.createDirectories(a.getParent());
        Images.writePng(a, Tensor.uniform(Shape.of(3, 6, 10), 0f, 1f, 1));
        png("b/square.png", 1, 4, 4, 9 / 255f);
        for (Resize mode : Resize.values()) {
            Dataset d = ImageFolder.read(dir, Shape.of(1, 4, 4), null, mode);
            assertArrayEquals(Images.fit(Images.read(a), 1, 4, 4, mode).data(), d.images().slice(0, 1).data(), mode.toString());
            assertEquals(9 / 255f, d.images().get(1, 0, 2, 2), mode + ": an image of the sample size is left alone");
            dev.fovea.image.Fitting f = d.fitting();
            assertEquals(mode, f.resize());
            assertEquals(2, f.images());
            assertEquals(1, f.resized());
            assertEquals(1, f.toGray());
            assertEquals(0, f.toRgb());
            assertEquals(f, d.limit(1).fitting(), "kept by limit: it describes the files read");
        }
        assertEquals(Resize.CENTER_CROP, ImageFolder.read(dir, Shape.of(1, 4, 4)).fitting().resize(), "the default");
    }
}
