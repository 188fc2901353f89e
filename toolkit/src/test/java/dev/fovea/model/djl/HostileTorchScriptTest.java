package dev.fovea.model.djl;

import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.ModelOutputException;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The TorchScript models of {@code fixtures/hostile} (made by {@code fixtures/make_hostile_models.py}), each breaking
 * one promise of a classifier's output, are refused on the call that shows it, with a message naming the model,
 * what it returned and for what batch.
 */
class HostileTorchScriptTest {
    static final Tensor X = Tensor.uniform(Shape.of(3, 1, 28, 28), 0, 1, 7);

    static Path model(String name) {
        return FixturePaths.fixture("hostile", name + ".pt");
    }

    static String opening(String name) {
        return assertThrows(ModelOutputException.class, () -> ModelLoader.open(model(name)).close()).getMessage();
    }

    static String calling(String name, java.util.function.Consumer<Classifier> call) throws IOException {
        try (Classifier m = ModelLoader.open(model(name))) {
            return assertThrows(ModelOutputException.class, () -> call.accept(m)).getMessage();
        }
    }

    @Test
    void oneRowWhateverTheBatch() throws IOException {
        assertEquals(model("one_row") + ": returned logits [1,10] for a batch of 3, expected [3,10]", calling("one_row", m -> m.logits(X)));
        assertEquals(model("one_row") + ": returned logits [1,10] for a batch of 3, expected [3,10]",
                calling("one_row", m -> m.gradient(X, Objective.crossEntropy(new int[3]))));
    }

    @Test
    void anHonestModelPassesEveryCheck() throws IOException {
        try (Classifier m = ModelLoader.open(FixturePaths.fixture("golden", "smallbn", "smallbn.pt"))) {
            assertEquals(X.shape(), m.gradient(X, Objective.logit(new int[3])).gradient().shape());
            assertEquals(X.shape(), m.gradient(X, Objective.channelMean(m.layers().get(0), 0)).gradient().shape());
            assertEquals(3, m.layerGradient(X, m.layers().get(0), Objective.logit(new int[3])).values().length);
            assertEquals(Shape.of(3, 10), m.logits(X).shape());
        }
    }

    @Test
    void twiceTheRowsFailsWhenOpened() {
        assertEquals(model("double_rows") + ": returned logits [2,10] for a batch of 1, expected [1,10]", opening("double_rows"));
    }

    @Test
    void notANumberOnlyForBatchesOfMoreThanOne() throws IOException {
        try (Classifier m = ModelLoader.open(model("nan_batch"))) {
            m.logits(X.slice(0, 1));
        }
        assertEquals(model("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 3",
                calling("nan_batch", m -> m.logits(X)));
        assertEquals(model("nan_batch") + ": expected finite logits, got NaN at sample 1, class 3 of a batch of 3",
                calling("nan_batch", m -> m.gradient(X, Objective.logit(new int[3]))));
    }

    @Test
    void infinityFailsWhenOpened() {
        assertEquals(model("inf") + ": expected finite logits, got Infinity at sample 0, class 2 of a batch of 1", opening("inf"));
    }

    @Test
    void integerLogits() {
        assertEquals(model("integer") + ": expected floating-point logits, got int64", opening("integer"));
    }

    @Test
    void logitsWithoutAGradientServeInferenceButNotGradients() throws IOException {
        for (String name : new String[] {"argmax", "detached"}) {
            try (Classifier m = ModelLoader.open(model(name))) {
                assertEquals(3, m.predict(X).length);
            }
            assertEquals(model(name) + ": expected logits differentiable with respect to the input, got logits with no gradient (detached, or"
                    + " computed through argmax, rounding or a cast)", calling(name, m -> m.gradient(X, Objective.logit(new int[3]))));
        }
    }
}
