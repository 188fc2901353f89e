package dev.fovea.attacks;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What the attack tests run on: the bundled LeNet-5 and the first images of the bundled Fashion-MNIST slice
 * ({@link #slice}), the same images on other models ({@link Slice#on}, {@link Slice#withBatch}), and a model
 * wrapper that counts what goes through it ({@link Counting}).
 */
final class Fixtures {
    /** The chunk size the tests' LeNet-5 works in unless a test asks for another. */
    static final int BATCH = 64;

    private static Network lenet5;

    private Fixtures() {
    }

    /** {@code fixtures/models/lenet5.fovea} on the own engine, in chunks of {@code batch} samples (the file is read once). */
    static synchronized Classifier lenet5(int batch) throws IOException {
        if (lenet5 == null) {
            lenet5 = ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea"));
        }
        return new EngineClassifier(lenet5, batch);
    }

    /** The first {@code n} images of {@code fixtures/data/fashion-mnist-1k}. */
    static Dataset fashion(int n) throws IOException {
        return DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(n);
    }

    /** The first {@code n} fixture images and their labels on the bundled LeNet-5 in chunks of {@link #BATCH}. */
    static Slice slice(int n) throws IOException {
        Dataset d = fashion(n);
        return new Slice(lenet5(BATCH), d.images(), d.labels());
    }

    /** Images {@code x [N,1,28,28]} with labels {@code y}, attacked on {@code model}. */
    record Slice(Classifier model, Tensor x, int[] y) {
        int size() {
            return y.length;
        }

        /** {@code a.run} on these images. */
        AttackResult run(Attack a, AttackConfig c) {
            return a.run(model, x, y, c);
        }

        /** {@code a.runAtBudgets} on these images. */
        List<AttackResult> runAtBudgets(Attack a, AttackConfig c, double... budgets) {
            return a.runAtBudgets(model, x, y, c, budgets);
        }

        /** The same images on {@code other} (a masked or counting wrapper, another chunk size). */
        Slice on(Classifier other) {
            return new Slice(other, x, y);
        }

        /** The same images on the bundled LeNet-5 in chunks of {@code batch}. */
        Slice withBatch(int batch) throws IOException {
            return on(lenet5(batch));
        }

        /** The first {@code n} samples. */
        Slice first(int n) {
            return range(0, n);
        }

        /** The samples {@code [from, to)}. */
        Slice range(int from, int to) {
            return new Slice(model, x.slice(from, to), Arrays.copyOfRange(y, from, to));
        }

        /** The samples the model misclassifies. */
        Slice misclassified() {
            int[] pred = model.predict(x);
            int[] wrong = IntStream.range(0, y.length).filter(i -> pred[i] != y[i]).toArray();
            return new Slice(model, x.gather(wrong), IntStream.of(wrong).map(i -> y[i]).toArray());
        }

        /** The fraction of {@code predictions} equal to the labels. */
        double accuracy(int[] predictions) {
            int c = 0;
            for (int i = 0; i < y.length; i++) {
                c += predictions[i] == y[i] ? 1 : 0;
            }
            return (double) c / y.length;
        }
    }

    /** Counts the images that go through the model, forward ({@link #logits}) or backward ({@link #gradient}). */
    static class Counting extends MaskedModels.Wrapper {
        long images;

        Counting(Classifier inner) {
            super(inner);
        }

        @Override
        public Tensor logits(Tensor t) {
            images += t.dim(0);
            return inner.logits(t);
        }

        @Override
        public Gradient gradient(Tensor t, Objective objective) {
            images += t.dim(0);
            return inner.gradient(t, objective);
        }
    }
}
