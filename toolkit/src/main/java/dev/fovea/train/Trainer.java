package dev.fovea.train;

import dev.fovea.data.Dataset;
import dev.fovea.model.ModelOutputException;
import dev.fovea.model.Network;
import dev.fovea.optim.Optimizer;
import dev.fovea.tensor.Tensor;

import java.util.Random;

/**
 * Mini-batch training of a {@link Network}, with softmax cross-entropy unless another {@link TrainingLoss} is given.
 * Each step trains on the batch, or on what a {@link BatchTransform} makes of it, and minimises the loss of the
 * network's training-mode logits on those images in one forward pass. Each epoch visits the training set in an
 * order drawn from {@code seed + epoch}, so a seed fixes the whole run. After each epoch the test set (if any) is
 * evaluated in evaluation mode.
 */
public final class Trainer {
    /** Progress callbacks; all default to doing nothing. */
    public interface Listener {
        default void batch(int epoch, int batch, int batches, double loss, int images) {
        }

        default void epoch(EpochResult result) {
        }
    }

    /** One epoch's summary. Test accuracy is NaN without a test set. */
    public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds, double imagesPerSecond) {
    }

    private final TrainConfig config;
    private final BatchTransform transform;
    private final TrainingLoss loss;

    public Trainer(TrainConfig config) {
        this(config, null);
    }

    /** A trainer that trains on {@code transform}'s images instead of each batch (null: the batch itself). */
    public Trainer(TrainConfig config, BatchTransform transform) {
        this(config, transform, TrainingLoss.crossEntropy());
    }

    /** As {@link #Trainer(TrainConfig, BatchTransform)}, minimising {@code loss} (which must match what the transform returns). */
    public Trainer(TrainConfig config, BatchTransform transform, TrainingLoss loss) {
        if (loss == null) {
            throw new IllegalArgumentException("trainer: expected a loss, got null");
        }
        this.config = config;
        this.transform = transform;
        this.loss = loss;
    }

    /**
     * Trains in place and returns the last epoch's result.
     *
     * @throws DivergedException the loss is no longer finite
     */
    public EpochResult fit(Network net, Dataset train, Dataset test, Listener listener) {
        net.checkInput(train.images().slice(0, Math.min(1, train.size())));
        Optimizer opt = config.optimizer().create(net.params(), config.momentum(), config.nesterov(), config.weightDecay());
        int n = train.size();
        int bs = config.batchSize();
        int batches = (n + bs - 1) / bs;
        long total = (long) batches * config.epochs();
        long step = 0;
        EpochResult last = null;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            int[] order = permutation(n, new Random(config.seed() + epoch));
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * bs;
                int to = Math.min(n, from + bs);
                int[] idx = java.util.Arrays.copyOfRange(order, from, to);
                Tensor x = train.images().gather(idx);
                int[] y = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    y[i] = train.labels()[idx[i]];
                }
                if (transform != null) {
                    try {
                        x = transform.apply(net, x, y, step);
                    } catch (ModelOutputException e) {
                        // The network's own logits went non-finite after the last update: the weights diverged.
                        throw new DivergedException("training diverged at epoch " + epoch + ", batch " + (b + 1) + " (" + e.getMessage()
                                + "); lower lr");
                    }
                }
                opt.zeroGrad();
                Tensor logits = net.forward(x, true);
                TrainingLoss.Result r = loss.compute(logits, y);
                net.backwardParams(r.gradient());
                float lr = config.schedule().rate(config.lr(), step, total, batches, config.stepEpochs(), config.gamma());
                opt.step(lr);
                step++;
                lossSum += r.loss() * idx.length;
                int[] pred = r.predicted();
                for (int i = 0; i < y.length; i++) {
                    if (pred[i] == y[i]) {
                        correct++;
                    }
                }
                if (!Double.isFinite(r.loss())) {
                    throw new DivergedException("training diverged at epoch " + epoch + ", batch " + (b + 1)
                            + " (loss is " + r.loss() + "); lower lr");
                }
                listener.batch(epoch, b + 1, batches, r.loss(), to - from);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double testAcc = test == null ? Double.NaN : Evaluation.run(net, test, 256).accuracy();
            last = new EpochResult(epoch, lossSum / n, (double) correct / n, testAcc, secs, n / secs);
            listener.epoch(last);
        }
        return last;
    }

    static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
