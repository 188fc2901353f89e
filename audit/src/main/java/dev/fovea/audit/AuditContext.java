package dev.fovea.audit;

import dev.fovea.data.Dataset;
import dev.fovea.model.Classifier;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every section of one audit shares: the model (and, for a {@code .fovea} file, its network, which the
 * randomisation check and the filters read), the model file, the audited images (the plan's first
 * {@link AuditPlan#images}), the plan, the progress listener, the clean predictions (taken once), and the sections
 * done so far, which later ones may read.
 */
public final class AuditContext {
    private final Classifier model;
    private final Path modelFile;
    private final Network network;
    private final Dataset data;
    private final AuditPlan plan;
    private final ProgressListener progress;
    private final ModelLoader.Options loader;
    private final Map<String, Object> done = new LinkedHashMap<>();
    private int[] prediction;
    private float[] probability;

    /**
     * {@code network} is null for a model not of the own engine; {@code data} is cut to the plan's images here;
     * {@code loader} (may be null: the defaults) opens the randomised copies of {@code network}.
     */
    public AuditContext(Classifier model, Path modelFile, Network network, Dataset data, AuditPlan plan, ProgressListener progress,
                        ModelLoader.Options loader) {
        this.model = model;
        this.modelFile = modelFile;
        this.network = network;
        this.data = plan.images() == null ? data : data.limit(Math.min(plan.images(), data.size()));
        this.plan = plan;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.loader = loader == null ? ModelLoader.Options.defaults().withBatchSize(model.batchSize()) : loader;
    }

    public Classifier model() {
        return model;
    }

    public Path modelFile() {
        return modelFile;
    }

    /** The own engine's network, or null (TorchScript). */
    public Network network() {
        return network;
    }

    public Dataset data() {
        return data;
    }

    /** The first {@code n} audited images ({@code null}: all). */
    public Dataset first(Integer n) {
        return n == null || n >= data.size() ? data : data.limit(n);
    }

    /** How a network of the own engine is opened (the randomisation check's copies). */
    public ModelLoader.Options loader() {
        return loader;
    }

    public AuditPlan plan() {
        return plan;
    }

    public ProgressListener progress() {
        return progress;
    }

    /** The model's predictions on the audited images, taken once. */
    public synchronized int[] cleanPrediction() {
        if (prediction == null) {
            Tensor logits = model.logits(data.images());
            prediction = logits.argmaxRows();
            probability = Softmax.apply(logits.data(), data.size(), model.classes());
        }
        return prediction;
    }

    /** The softmax of the clean images, {@code [N*K]}. */
    public float[] cleanProbability() {
        cleanPrediction();
        return probability;
    }

    public double cleanAccuracy() {
        return Stats.accuracy(cleanPrediction(), data.labels());
    }

    /** Records the result of section {@code name} for later sections. */
    public void put(String name, Object section) {
        done.put(name, section);
    }

    /** The result of an earlier section, or null. */
    public <T> T get(String name, Class<T> type) {
        Object o = done.get(name);
        return type.isInstance(o) ? type.cast(o) : null;
    }
}
