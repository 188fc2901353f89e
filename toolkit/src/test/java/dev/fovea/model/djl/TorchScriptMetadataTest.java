package dev.fovea.model.djl;

import dev.fovea.data.FixturePaths;
import dev.fovea.io.ModelFormatException;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.ModelSetup;
import dev.fovea.model.ModelSetup.Source;
import dev.fovea.model.Sidecar;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a TorchScript model runs with when its metadata is partly missing, and where each part came from: classes
 * numbered {@code 0..K-1} from its output, mean 0 and std 1 assumed, all of it in {@link Classifier#setup()}.
 */
class TorchScriptMetadataTest {
    static final Path GOLDEN = FixturePaths.fixture("golden", "smallbn");

    @TempDir
    Path dir;

    private Path bare() throws IOException {
        return Files.copy(GOLDEN.resolve("smallbn.pt"), dir.resolve("smallbn.pt"));
    }

    @Test
    void withoutClassNamesTheClassesAreNumberedFromTheOutput() throws IOException {
        Path pt = bare();
        ModelLoader.Options o = ModelLoader.Options.defaults().withMetadata(Shape.of(1, 28, 28), new float[] {0.286f}, new float[] {0.353f}, null);
        try (Classifier c = ModelLoader.open(pt, o)) {
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), c.classNames());
            ModelSetup s = c.setup();
            assertEquals(new ModelSetup(new int[] {1, 28, 28}, new float[] {0.286f}, new float[] {0.353f}, 10, Source.OPTIONS, Source.OPTIONS,
                    Source.OPTIONS, Source.DEFAULT), s);
            assertFalse(s.normalisationAssumed());
            assertEquals(10, c.logits(Tensor.zeros(Shape.of(2, 1, 28, 28))).dim(1));
        }
        assertThrows(ModelFormatException.class, () -> Sidecar.info(pt, o), "the metadata alone cannot name the classes");
    }

    @Test
    void withoutNormalisationMeanZeroAndStdOneAreAssumedAndSaidSo() throws IOException {
        Path pt = bare();
        ModelLoader.Options o = ModelLoader.Options.defaults().withMetadata(Shape.of(1, 28, 28), null, null, null);
        try (Classifier c = ModelLoader.open(pt, o)) {
            ModelSetup s = c.setup();
            assertTrue(s.normalisationAssumed());
            assertArrayEquals(new float[] {0f}, s.mean());
            assertArrayEquals(new float[] {1f}, s.std());
            assertEquals(Source.DEFAULT, s.meanFrom());
            assertEquals(Source.DEFAULT, s.stdFrom());
            assertEquals("mean 0, std 1", s.normalisation());
        }
        try (Classifier c = ModelLoader.open(pt, o.withMetadata(Shape.of(1, 28, 28), new float[] {0.5f}, null, null))) {
            assertEquals(Source.OPTIONS, c.setup().meanFrom());
            assertEquals(Source.DEFAULT, c.setup().stdFrom(), "one of the two given is still one assumed");
            assertTrue(c.setup().normalisationAssumed());
        }
    }

    @Test
    void aSidecarsMetadataIsTheSidecars() throws IOException {
        Path pt = bare();
        Files.copy(GOLDEN.resolve("smallbn.json"), dir.resolve("smallbn.json"));
        try (Classifier c = ModelLoader.open(pt)) {
            ModelSetup s = c.setup();
            assertEquals(List.of(Source.SIDECAR, Source.SIDECAR, Source.SIDECAR, Source.SIDECAR),
                    List.of(s.inputShapeFrom(), s.meanFrom(), s.stdFrom(), s.classNamesFrom()));
            assertArrayEquals(new float[] {0.286f}, s.mean());
        }
        ModelLoader.Options names = ModelLoader.Options.defaults().withMetadata(null, null, new float[] {0.3f}, List.of("a", "b", "c", "d", "e", "f",
                "g", "h", "i", "j"));
        try (Classifier c = ModelLoader.open(pt, names)) {
            assertEquals(Source.SIDECAR, c.setup().meanFrom());
            assertEquals(Source.OPTIONS, c.setup().stdFrom(), "an option overrides the sidecar");
            assertEquals(Source.OPTIONS, c.setup().classNamesFrom());
            assertEquals("a", c.classNames().get(0));
        }
    }

    @Test
    void aFoveaFileCarriesItsOwnSetupOnEitherBackend() throws IOException {
        Path fovea = GOLDEN.resolve("smallbn.fovea");
        for (ModelLoader.Options o : List.of(ModelLoader.Options.defaults(), ModelLoader.Options.defaults().withBackend(new LibtorchBackend()))) {
            try (Classifier c = ModelLoader.open(fovea, o)) {
                ModelSetup s = c.setup();
                assertEquals(List.of(Source.MODEL, Source.MODEL, Source.MODEL, Source.MODEL),
                        List.of(s.inputShapeFrom(), s.meanFrom(), s.stdFrom(), s.classNamesFrom()), c.backend());
                assertArrayEquals(new int[] {1, 28, 28}, s.inputShape());
                assertEquals(10, s.classes());
            }
        }
    }
}
