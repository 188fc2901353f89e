package dev.fovea.audit;

import dev.fovea.data.DataSpec;
import dev.fovea.data.Dataset;
import dev.fovea.data.FixturePaths;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The bundled LeNet-5 and the first images of the bundled Fashion-MNIST slice, loaded once for the audit tests. */
public final class Fixture {
    private static Classifier model;
    private static Dataset data;

    private Fixture() {
    }

    public static synchronized Classifier lenet5() {
        if (model == null) {
            try {
                model = ModelLoader.open(FixturePaths.fixture("models", "lenet5.fovea"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    /** The first {@code n} images of {@code fixtures/data/fashion-mnist-1k}. */
    public static synchronized Dataset fashion(int n) {
        if (data == null) {
            try {
                data = DataSpec.load(FixturePaths.fixture("data", "fashion-mnist-1k").toString(), null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data.limit(n);
    }
}
