package dev.fovea.model;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link AbstractClassifier} checks what a backend returns on every call and for every chunk: logits {@code [n,K]},
 * activations {@code [n,...]}, finite values, and, through the backend, floating point and a gradient.
 */
class ModelOutputChecksTest {
    static final Shape IN = Shape.of(1, 2, 2);

    /** A backend whose forward pass is {@code forward(x chunk, index of its first sample)}; 3 classes, one layer {@code f}. */
    static final class Scripted extends AbstractClassifier {
        final BiFunction<Tensor, Integer, Tensor> forward;
        int from;

        Scripted(int batchSize, BiFunction<Tensor, Integer, Tensor> forward) {
            super(batchSize, "m.pt");
            this.forward = forward;
        }

        @Override
        public Shape inputShape() {
            return IN;
        }

        @Override
        public List<String> classNames() {
            return List.of("a", "b", "c");
        }

        @Override
        public String backend() {
            return "scripted";
        }

        @Override
        public List<String> layers() {
            return List.of("f");
        }

        private Tensor run(Tensor x) {
            Tensor z = forward.apply(x, from);
            from += x.dim(0);
            return z;
        }

        @Override
        protected Tensor logitsChunk(Tensor x) {
            return run(x);
        }

        @Override
        protected Gradient gradientChunk(Tensor x, Objective objective) {
            Objective.Evaluation e = objective.evaluate(run(x));
            return new Gradient(e.values(), Tensor.zeros(x.shape()));
        }

        @Override
        protected Tensor activationsChunk(Tensor x, String layer) {
            return run(x);
        }

        @Override
        protected LayerGradient layerGradientChunk(Tensor x, String layer, Objective objective) {
            Tensor z = run(x);
            Objective.Evaluation e = objective.evaluate(z);
            return new LayerGradient(z, z, e.values());
        }
    }

    static Tensor logits(int rows, int from) {
        float[] z = new float[rows * 3];
        for (int i = 0; i < z.length; i++) {
            z[i] = from * 3 + i;
        }
        return new Tensor(Shape.of(rows, 3), z);
    }

    static final Tensor X = Tensor.uniform(Shape.of(10, 1, 2, 2), 0, 1, 1);

    @Test
    void honestLogitsPassThroughUnchanged() {
        Scripted m = new Scripted(4, (x, from) -> logits(x.dim(0), from));
        assertArrayEquals(logits(10, 0).data(), m.logits(X).data());
    }

    @Test
    void aWrongNumberOfRowsSaysWhatCameBackForWhatBatch() {
        Scripted one = new Scripted(4, (x, from) -> logits(1, from));
        assertEquals("m.pt: returned logits [1,3] for a batch of 4, expected [4,3]",
                assertThrows(ModelOutputException.class, () -> one.logits(X)).getMessage());
        Scripted twice = new Scripted(4, (x, from) -> logits(2 * x.dim(0), from));
        assertEquals("m.pt: returned logits [8,3] for a batch of 4, expected [4,3]",
                assertThrows(ModelOutputException.class, () -> twice.predict(X)).getMessage());
        Scripted classes = new Scripted(4, (x, from) -> new Tensor(Shape.of(x.dim(0), 2), new float[x.dim(0) * 2]));
        assertEquals("m.pt: returned logits [4,2] for a batch of 4, expected [4,3]",
                assertThrows(ModelOutputException.class, () -> classes.logits(X)).getMessage());
    }

    @Test
    void nonFiniteLogitsNameTheFirstBadSampleAndClassInTheCall() {
        Scripted nan = new Scripted(4, (x, from) -> {
            Tensor z = logits(x.dim(0), from);
            if (from == 4) {
                z.data()[1 * 3 + 2] = Float.NaN;
                z.data()[3 * 3] = Float.POSITIVE_INFINITY;
            }
            return z;
        });
        assertEquals("m.pt: expected finite logits, got NaN at sample 5, class 2 of a batch of 4 from sample 4",
                assertThrows(ModelOutputException.class, () -> nan.logits(X)).getMessage());
        Scripted inf = new Scripted(16, (x, from) -> {
            Tensor z = logits(x.dim(0), from);
            z.data()[7 * 3 + 1] = Float.NEGATIVE_INFINITY;
            return z;
        });
        assertEquals("m.pt: expected finite logits, got -Infinity at sample 7, class 1 of a batch of 10",
                assertThrows(ModelOutputException.class, () -> inf.logits(X)).getMessage());
    }

    @Test
    void gradientCallsCheckTheOutputBeforeTheObjectiveReadsIt() {
        Scripted one = new Scripted(4, (x, from) -> logits(1, from));
        assertEquals("m.pt: returned logits [1,3] for a batch of 4, expected [4,3]",
                assertThrows(ModelOutputException.class, () -> one.gradient(X, Objective.crossEntropy(new int[10]))).getMessage());
        Scripted nan = new Scripted(4, (x, from) -> {
            Tensor z = logits(x.dim(0), from);
            z.data()[0] = Float.NaN;
            return z;
        });
        assertEquals("m.pt: expected finite logits, got NaN at sample 0, class 0 of a batch of 4",
                assertThrows(ModelOutputException.class, () -> nan.gradient(X, Objective.logit(new int[10]))).getMessage());
        assertEquals("m.pt: expected finite logits, got NaN at sample 0, class 0 of a batch of 4",
                assertThrows(ModelOutputException.class, () -> nan.layerGradient(X, "f", Objective.logit(new int[10]))).getMessage());
    }

    @Test
    void activationsAreCheckedToo() {
        Scripted short1 = new Scripted(4, (x, from) -> Tensor.zeros(Shape.of(1, 5)));
        assertEquals("m.pt: returned activations [1,5] of layer f for a batch of 4, expected [4,...]",
                assertThrows(ModelOutputException.class, () -> short1.activations(X, "f")).getMessage());
        Scripted nan = new Scripted(4, (x, from) -> {
            Tensor a = Tensor.zeros(Shape.of(x.dim(0), 5));
            a.data()[2 * 5 + 4] = Float.NaN;
            return a;
        });
        assertEquals("m.pt: expected finite activations of layer f, got NaN at sample 2 of a batch of 4",
                assertThrows(ModelOutputException.class, () -> nan.activations(X, "f")).getMessage());
        assertEquals("m.pt: expected finite activations of layer f, got NaN at sample 2 of a batch of 4",
                assertThrows(ModelOutputException.class, () -> nan.gradient(X, Objective.channelMean("f", 0))).getMessage());
    }

    @Test
    void whatOnlyTheBackendSeesIsReportedInTheSameWords() {
        Scripted m = new Scripted(4, (x, from) -> logits(x.dim(0), from));
        assertEquals("m.pt: expected floating-point logits, got int64",
                assertThrows(ModelOutputException.class, () -> m.requireFloatingPoint("logits", false, "int64")).getMessage());
        assertEquals("m.pt: expected logits differentiable with respect to the input, got logits with no gradient (detached, or computed"
                + " through argmax, rounding or a cast)", assertThrows(ModelOutputException.class, () -> m.requireDifferentiable("logits", false)).getMessage());
        m.requireFloatingPoint("logits", true, "float32");
        m.requireDifferentiable("logits", true);
    }

    @Test
    void theEngineNamesItsModelFileOrItsArchitecture() {
        Network net = ArchitectureTest.net("mlp", 1);
        assertEquals("model mlp", new EngineClassifier(net, 8).where());
        assertEquals("m.fovea", new EngineClassifier(net, 8, "m.fovea").where());
    }
}
