package dev.fovea.attacks;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.EngineClassifier;
import dev.fovea.model.ModelFile;

import java.io.IOException;

/** The bundled LeNet-5 and the first images of the bundled Fashion-MNIST slice, as the attack tests use them. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code fixtures/models/lenet5.fovea} on the own engine, in chunks of {@code batch} samples. */
    static Classifier lenet5(int batch) throws IOException {
        return new EngineClassifier(ModelFile.load(FixturePaths.fixture("models", "lenet5.fovea")), batch);
    }

    /** The first {@code n} images of {@code fixtures/data/fashion-mnist-1k}. */
    static Dataset fashion(int n) throws IOException {
        return DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null, null, null).limit(n);
    }
}
