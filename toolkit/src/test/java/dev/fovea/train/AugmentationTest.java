package dev.fovea.train;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Architecture;
import dev.fovea.model.Network;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The augmentation spec, the per-sample random augmentation, AugMix, and training with them. */
class AugmentationTest {
    private static final Tensor GRAY = Tensor.uniform(Shape.of(6, 1, 28, 28), 0f, 1f, 3);
    private static final Tensor COLOUR = Tensor.uniform(Shape.of(4, 3, 16, 12), 0f, 1f, 4);

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> Augmentation.parse(spec)).getMessage();
    }

    @Test
    void parsesSpecsWithDefaultsAndWritesThemBack() {
        Augmentation a = Augmentation.parse("flip,translate:2,rotate:15");
        assertEquals("flip:0.5,translate:2,rotate:15", a.toString());
        assertEquals(3, a.steps().size());
        assertFalse(a.augMix());
        assertEquals("vflip:1,cutout:8,scale:0.2,augmix:3", Augmentation.parse(" VFLIP:1, cutout, scale:0.2 ,augmix").toString());
        assertEquals("flip:0.25", Augmentation.parse("hflip:0.25").toString(), "hflip is flip");
        assertTrue(Augmentation.parse("augmix:5").augMix());
        assertEquals(Augmentation.parse("flip").toString(), Augmentation.parse(Augmentation.parse("flip").toString()).toString());
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        String unknown = error("flip,rotat:10");
        assertTrue(unknown.endsWith("got 'rotat'") && unknown.contains("rotate") && unknown.contains("augmix")
                && unknown.contains("hue-shift"), unknown);
        assertTrue(error("rotate:ten").contains("rotate: expected a number (degrees), got 'ten'"), error("rotate:ten"));
        assertTrue(error("rotate:NaN").contains("expected a number"));
        assertTrue(error("rotate:15d").contains("expected a number"), "no Java float suffixes");
        assertTrue(error("rotate:").contains("got ''"));
        String range = error("rotate:200");
        assertEquals("augment: rotate: expected a strength from 0 to 180 (degrees), got 200", range);
        assertTrue(error("flip:1.5").contains("from 0 to 1 (probability)"));
        assertTrue(error("translate:1.5").contains("expected a whole number (pixels), got 1.5"));
        assertTrue(error("augmix:0").contains("from 1 to 10 (severity)"));
        assertTrue(error("flip,,rotate").contains("empty entry"));
        assertTrue(error("flip,hflip").contains("'flip' twice"));
        assertTrue(error("").contains("expected a comma list"));
        assertTrue(error(" ").contains("expected a comma list"));
    }

    @Test
    void colourOnlyOpsRefuseGrayscale() {
        Augmentation a = Augmentation.parse("hue-shift:0.1");
        String m = assertThrows(ShapeException.class, () -> a.check(Shape.of(1, 28, 28))).getMessage();
        assertTrue(m.contains("hue-shift") && m.contains("[1,28,28]"), m);
        a.check(Shape.of(3, 8, 8));
        assertThrows(ShapeException.class, () -> a.apply(GRAY, 1, 0));
    }

    @Test
    void sameSeedAndStepSameImagesOtherwiseOthers() {
        Augmentation a = Augmentation.parse("flip,translate:2,rotate:15,scale:0.1,shear:10,gamma:1.5,cutout:6");
        for (Tensor x : new Tensor[] {GRAY, COLOUR}) {
            float[] before = x.data().clone();
            Tensor y = a.apply(x, 7, 3);
            assertEquals(x.shape(), y.shape());
            assertArrayEquals(y.data(), a.apply(x, 7, 3).data(), "same seed and step");
            assertFalse(Arrays.equals(y.data(), a.apply(x, 7, 4).data()), "another step");
            assertFalse(Arrays.equals(y.data(), a.apply(x, 8, 3).data()), "another seed");
            assertArrayEquals(before, x.data(), "the input is not changed");
            for (float v : y.data()) {
                assertTrue(v >= 0f && v <= 1f, "in [0,1]: " + v);
            }
            Tensor head = a.apply(x.slice(0, 2), 7, 3);
            assertArrayEquals(Arrays.copyOf(y.data(), head.size()), head.data(), "an image's draws do not depend on the rest of the batch");
        }
    }

    @Test
    void strengthZeroChangesNothingAndCertainFlipsFlipAll() {
        Tensor x = COLOUR;
        assertArrayEquals(x.data(), Augmentation.parse("flip:0,vflip:0,translate:0,rotate:0,scale:0,shear:0,gamma:1,hue-shift:0,channel-shift:0,cutout:0")
                .apply(x, 1, 1).data());
        Tensor flipped = Augmentation.parse("flip:1").apply(x, 1, 1);
        assertArrayEquals(new dev.fovea.image.corrupt.HorizontalFlip().apply(x, 1, 0).data(), flipped.data());
    }

    @Test
    void augMixGivesTheCleanImagesAndTwoCopies() {
        Augmentation a = Augmentation.parse("augmix");
        for (Tensor x : new Tensor[] {GRAY, COLOUR}) {
            Tensor y = a.apply(x, 5, 0);
            int n = x.dim(0);
            assertEquals(x.shape().tail().withBatch(3 * n), y.shape());
            assertArrayEquals(x.data(), Arrays.copyOf(y.data(), x.size()), "the first N are the clean images");
            for (float v : y.data()) {
                assertTrue(v >= 0f && v <= 1f, "in [0,1]: " + v);
            }
            float[] first = Arrays.copyOfRange(y.data(), x.size(), 2 * x.size());
            float[] second = Arrays.copyOfRange(y.data(), 2 * x.size(), 3 * x.size());
            assertFalse(Arrays.equals(first, second), "two different copies");
            assertFalse(Arrays.equals(first, x.data()), "the copies differ from the clean images");
            assertArrayEquals(y.data(), a.apply(x, 5, 0).data());
        }
        assertTrue(a.loss().compute(Tensor.zeros(9, 10), new int[] {1, 2, 3}).loss() > 0);
        assertThrows(ShapeException.class, () -> a.loss().compute(Tensor.zeros(3, 10), new int[] {1, 2, 3}));
    }

    @Test
    void everyAugMixOperationKeepsBytesAndSize() {
        int[] px = dev.fovea.image.ImageOps.toBytes(COLOUR.slice(0, 1).data());
        SplittableRandom rng = new SplittableRandom(1);
        for (AugMix.Op op : AugMix.Op.values()) {
            for (int severity : new int[] {1, 3, 10}) {
                int[] out = op.apply(px, 3, 16, 12, severity, rng);
                assertEquals(px.length, out.length, op.name());
                for (int v : out) {
                    assertTrue(v >= 0 && v <= 255, op + " gave " + v);
                }
            }
        }
        float[] mixed = new AugMix(3).augmentAndMix(COLOUR.slice(0, 1).data(), 3, 16, 12, new SplittableRandom(2));
        assertEquals(3 * 16 * 12, mixed.length);
        assertThrows(IllegalArgumentException.class, () -> new AugMix(11));
    }

    private static Dataset fixture(int n) throws IOException {
        return DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(n);
    }

    private static float[] train(Augmentation a, Dataset d, long seed) {
        Network net = Network.create(Architecture.named("convnet"), d.sampleShape(), d.classNames(), new float[] {0.3f}, new float[] {0.35f}, 6);
        TrainConfig cfg = new TrainConfig(1, 16, 1e-3f, Optimizer.Kind.ADAM, 0.9f, false, 0f, Schedule.CONSTANT, 1, 0.1f, seed);
        Trainer.EpochResult r = new Trainer(cfg, a.transform(seed), a.loss()).fit(net, d, null, new Trainer.Listener() { });
        assertTrue(Double.isFinite(r.trainLoss()) && r.trainAccuracy() >= 0 && r.trainAccuracy() <= 1, r.toString());
        return net.logits(d.images().slice(0, 4), 4).data();
    }

    @Test
    void augmentedTrainingIsReproducibleAndTrainsOnTheAugmentedImages() throws IOException {
        Dataset d = fixture(48);
        Augmentation a = Augmentation.parse("flip,translate:2,rotate:15");
        float[] once = train(a, d, 3);
        assertArrayEquals(once, train(a, d, 3), "same seed, same model");
        assertFalse(Arrays.equals(once, train(a, d, 4)), "another seed");
        Augmentation mix = Augmentation.parse("flip,augmix");
        float[] m = train(mix, d, 3);
        assertArrayEquals(m, train(mix, d, 3), "augmix: same seed, same model");
        assertFalse(Arrays.equals(once, m));
    }
}
