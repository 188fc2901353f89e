package dev.fovea.train;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Architecture;
import dev.fovea.model.Network;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static Dataset fixture() throws IOException {
        return DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null);
    }

    private static Dataset range(Dataset d, int from, int to) {
        return new Dataset(d.images().slice(from, to), Arrays.copyOfRange(d.labels(), from, to), d.classNames(), d.source());
    }

    /** LeNet-5 trained on 800 fixture images for 4 epochs classifies the 200 held-out ones well above chance. */
    @Test
    void shortTrainingRunReachesTheStatedAccuracy() throws IOException {
        Dataset all = fixture();
        Dataset train = range(all, 0, 800);
        Dataset held = range(all, 800, 1000);
        Network net = Network.create(Architecture.named("lenet5"), train.sampleShape(), train.classNames(),
                new float[] {0.286f}, new float[] {0.353f}, 1);
        TrainConfig cfg = new TrainConfig(4, 32, 2e-3f, Optimizer.Kind.ADAM, 0.9f, false, 0f, Schedule.COSINE, 1, 0.1f, 1);
        Trainer.EpochResult r = new Trainer(cfg).fit(net, train, held, new Trainer.Listener() { });
        assertTrue(r.testAccuracy() >= 0.70, "held-out accuracy " + r.testAccuracy());
        assertTrue(r.trainLoss() < 1.0, "train loss " + r.trainLoss());
    }

    @Test
    void sameSeedSameModel() throws IOException {
        Dataset d = range(fixture(), 0, 128);
        float[][] out = new float[2][];
        for (int i = 0; i < 2; i++) {
            Network net = Network.create(Architecture.named("convnet"), d.sampleShape(), d.classNames(), new float[] {0.3f}, new float[] {0.35f}, 9);
            TrainConfig cfg = new TrainConfig(1, 32, 1e-3f, Optimizer.Kind.SGD, 0.9f, true, 1e-4f, Schedule.STEP, 1, 0.5f, 9);
            new Trainer(cfg).fit(net, d, null, new Trainer.Listener() { });
            out[i] = net.logits(d.images().slice(0, 4), 4).data();
        }
        assertArrayEquals(out[0], out[1]);
    }

    @Test
    void evaluationCountsTheConfusionMatrix() {
        Evaluation e = Evaluation.of(new int[] {0, 1, 1, 2}, new int[] {0, 1, 2, 2}, 4);
        assertEquals(0.75, e.accuracy(), 1e-12);
        assertEquals(1, e.confusion()[2][1]);
        assertEquals(0.5, e.perClass()[2], 1e-12);
        assertTrue(Double.isNaN(e.perClass()[3]));
        assertEquals(4, e.n());
    }

    @Test
    void trainingDoesNotTouchTheData() throws IOException {
        Dataset d = range(fixture(), 0, 64);
        Tensor before = d.images().copy();
        Network net = Network.create(Architecture.named("mlp"), d.sampleShape(), d.classNames(), new float[] {0.3f}, new float[] {0.35f}, 2);
        new Trainer(new TrainConfig(1, 16, 1e-3f, Optimizer.Kind.ADAMW, 0.9f, false, 1e-2f, Schedule.CONSTANT, 1, 0.1f, 2))
                .fit(net, d, null, new Trainer.Listener() { });
        assertArrayEquals(before.data(), d.images().data());
    }
}
