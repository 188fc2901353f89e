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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The trainer's batch hook: called once per batch with its labels and a running step, and trained on. */
class BatchTransformTest {
    private static float[] train(BatchTransform t, Dataset d) {
        Network net = Network.create(Architecture.named("mlp"), d.sampleShape(), d.classNames(), new float[] {0.3f}, new float[] {0.35f}, 4);
        TrainConfig cfg = new TrainConfig(2, 16, 1e-3f, Optimizer.Kind.ADAM, 0.9f, false, 0f, Schedule.CONSTANT, 1, 0.1f, 4);
        new Trainer(cfg, t).fit(net, d, null, new Trainer.Listener() { });
        return net.logits(d.images().slice(0, 4), 4).data();
    }

    @Test
    void theHookSeesEveryBatchAndItsImagesAreTrainedOn() throws IOException {
        Dataset d = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(40);
        List<Long> steps = new ArrayList<>();
        int[] seen = new int[1];
        float[] identity = train((net, x, y, step) -> {
            steps.add(step);
            seen[0] += y.length;
            assertEquals(x.dim(0), y.length);
            return x;
        }, d);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), steps, "3 batches per epoch, 2 epochs");
        assertEquals(80, seen[0]);
        assertArrayEquals(train(null, d), identity, "returning the batch changes nothing");
        float[] blank = train((net, x, y, step) -> Tensor.zeros(x.shape()), d);
        assertFalse(java.util.Arrays.equals(identity, blank), "the returned images are what the network learns from");
    }
}
