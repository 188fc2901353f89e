package dev.fovea.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.Version;
import dev.fovea.data.Dataset;
import dev.fovea.io.AtomicFiles;
import dev.fovea.io.Digests;
import dev.fovea.kernels.Parallel;
import dev.fovea.model.Architecture;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import dev.fovea.train.Augmentation;
import dev.fovea.train.BatchTransform;
import dev.fovea.train.GaussianAugmentation;
import dev.fovea.train.TrainConfig;
import dev.fovea.train.Trainer;
import dev.fovea.train.TrainingLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code fovea train}: trains an own-engine network and writes a {@code .fovea} model file. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network of the own engine and save it as a model file (.fovea).",
                "Pixel normalisation (mean/std) is measured on the training data unless given."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--arch", defaultValue = "convnet", paramLabel = "NAME|FILE.json",
            description = "Architecture: mlp, lenet5, convnet, resnet8, resnet20, resnet18, or a JSON file (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--data", defaultValue = "fashion-mnist:train", paramLabel = "SPEC",
            description = "Training data: fashion-mnist[:train|:test], an IDX images file, a folder of class folders, or an .npy array (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--test-data", paramLabel = "SPEC|none",
            description = "Data evaluated after each epoch (default: fashion-mnist:test when training on fashion-mnist, else none).")
    String testData;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    // The training minibatch: it changes the result, unlike BatchOptions' chunking of inference.
    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Samples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: 1e-3 for adam/adamw, 0.05 for sgd).")
    Float lr;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME", completionCandidates = Choices.Optimizers.class,
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Optimizer.Kind optimizer;

    @Option(names = "--momentum", paramLabel = "MOMENTUM", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--nesterov", negatable = true, description = "Nesterov momentum for sgd, or (--no-nesterov) plain momentum (default: plain).")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "DECAY", defaultValue = "0", description = "Weight decay (L2 for sgd/adam, decoupled for adamw; default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "NAME", completionCandidates = Choices.Schedules.class,
            description = "Learning-rate schedule: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Schedule schedule;

    @Option(names = "--step-epochs", paramLabel = "N", defaultValue = "3", description = "For --schedule step: epochs between decays (default: ${DEFAULT-VALUE}).")
    int stepEpochs;

    @Option(names = "--gamma", paramLabel = "GAMMA", defaultValue = "0.1", description = "For --schedule step: decay factor (default: ${DEFAULT-VALUE}).")
    float gamma;

    // Not SeedOption: training's seed defaults to 42, the seed the bundled models were trained with (fixtures/README.md),
    // where the audits' default is 0.
    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed for weights, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mean", split = ",", paramLabel = "M", description = "Per-channel pixel mean for normalisation (default: measured).")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S", description = "Per-channel pixel std for normalisation (default: measured).")
    float[] std;

    // A model file, not OutputOptions' folder.
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.fovea", description = "Where to write the model.")
    Path out;

    @Option(names = "--augment", paramLabel = "SPEC", completionCandidates = Choices.AugmentOps.class,
            description = {"Augment every training image at random (drawn from --seed, the batch and the image): a comma list of "
                    + "name[:strength], e.g. flip,translate:2,rotate:15, applied in that order. Names: ${COMPLETION-CANDIDATES}. "
                    + "The strength is a probability for the flips, pixels for translate and cutout, degrees for rotate and shear, "
                    + "the relative change for scale, the largest exponent for gamma, turns for hue-shift, pixel units for "
                    + "channel-shift; a value out of range is refused with its range. augmix[:severity] (AugMix, Hendrycks et al. "
                    + "2020; severity 1-10, default 3) comes after the rest and trains on each image and two AugMix copies with the "
                    + "Jensen-Shannon consistency loss (lambda 12)."})
    Augmentation augment;

    @Option(names = "--noise", paramLabel = "SIGMA",
            description = {"Gaussian data augmentation (Cohen et al. 2019): add N(0, SIGMA^2) noise to every pixel of every training image, "
                    + "drawn afresh each step from --seed, the batch and the image, in pixel units before normalisation and not clipped, "
                    + "so that the model is fit for 'fovea certify --sigma SIGMA'. After --augment; not with --adversarial."})
    Double noise;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    AdversarialOptions adversarial;

    @Mixin
    Verbosity verbosity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        float rate = lr != null ? lr : optimizer == Optimizer.Kind.SGD ? 0.05f : 1e-3f;
        TrainConfig config = new TrainConfig(epochs, batchSize, rate, optimizer, momentum, nesterov, weightDecay, schedule, stepEpochs, gamma, seed);
        adversarial.validate();
        Augmentation augmentation = augmentation();
        GaussianAugmentation gaussian = gaussian();
        if (SingleFile.isStdout(out)) {
            throw new UsageException("--out: expected a .fovea file, got '-': a model is written to a file, which the other commands read by its name");
        }
        if (!out.getFileName().toString().endsWith(".fovea")) {
            throw new UsageException("--out must name a .fovea file, got " + out);
        }
        AtomicFiles.checkWritable(out);
        Architecture architecture = Architecture.resolve(arch);
        Dataset train = dataOptions.load(data, (dev.fovea.tensor.Shape) null);
        String testSpec = testData != null ? testData : data.startsWith("fashion-mnist") ? "fashion-mnist:test" : "none";
        Dataset test = null;
        if (!testSpec.equals("none")) {
            DataOptions plain = new DataOptions();
            plain.dataDir = dataOptions.dataDir;
            plain.resize = dataOptions.resize;
            plain.command = dataOptions.command;
            test = plain.load(testSpec, train.sampleShape(), train.classNames());
        }
        if (augmentation != null) {
            try {
                augmentation.check(train.sampleShape());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--augment: " + unprefixed(e.getMessage()) + " (the training data " + train.source() + ")");
            }
        }
        float[][] norm = normalisation(train);
        Network net;
        try {
            net = Network.create(architecture, train.sampleShape(), train.classNames(), norm[0], norm[1], seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--arch " + arch + ": " + e.getMessage());
        }
        o.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %,d images %s, %d classes; %d threads%n",
                architecture.name(), net.parameterCount(), train.source(), train.size(), train.sampleShape(), train.classNames().size(),
                Parallel.threads());
        if (augmentation != null) {
            o.printf(Locale.ROOT, "augmenting: %s%s%n", augmentation, augmentation.augMix() ? " (3 images per sample, Jensen-Shannon consistency loss)" : "");
        }
        if (gaussian != null) {
            o.printf(Locale.ROOT, "gaussian noise: sigma %s on every training image (pixel units, not clipped)%n", gaussian.sigma());
        }
        o.flush();
        int batches = (train.size() + batchSize - 1) / batchSize;
        Trainer.EpochResult last;
        double[] robust = {Double.NaN};
        long t0 = System.nanoTime();
        try (Progress bar = Progress.start("train", (long) batches * epochs, "batch", verbosity.quiet)) {
            final Dataset testSet = test;
            TrainingLoss loss = augmentation == null ? TrainingLoss.crossEntropy() : augmentation.loss();
            last = new Trainer(config, transform(augmentation, gaussian), loss).fit(net, train, test, new Trainer.Listener() {
                @Override
                public void batch(int epoch, int batch, int n, double loss, int images) {
                    bar.step(1, String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch, epochs, loss));
                }

                @Override
                public void epoch(Trainer.EpochResult r) {
                    robust[0] = adversarial.enabled() ? adversarial.robustAccuracy(net, testSet, 256) : Double.NaN;
                    o.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  train %.2f%%%s  %.0f img/s  %.1f s%s%n", r.epoch(), epochs, r.trainLoss(),
                            100 * r.trainAccuracy(), testSet == null ? "" : String.format(Locale.ROOT, "  test %.2f%%", 100 * r.testAccuracy()),
                            r.imagesPerSecond(), r.seconds(), adversarial.enabled() ? adversarial.describe(robust[0]) : "");
                    o.flush();
                }
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode prov = JsonNodeFactory.instance.objectNode();
        prov.put("data", train.source());
        prov.put("data_sha256", train.files() == null ? null : Digests.sha256(train.files()));
        prov.put("labels_sha256", train.files() == null ? null : Digests.labelsSha256(train.files()));
        prov.put("subset_sha256", Digests.subsetSha256(train));
        prov.put("train_samples", train.size());
        if (test != null) {
            prov.put("test_data", test.source());
            prov.put("test_samples", test.size());
            prov.put("test_accuracy", last.testAccuracy());
        }
        prov.put("train_accuracy", last.trainAccuracy());
        prov.put("train_loss", last.trainLoss());
        prov.put("seed", seed);
        prov.put("epochs", epochs);
        prov.put("batch_size", batchSize);
        prov.put("optimizer", optimizer.name().toLowerCase(Locale.ROOT));
        prov.put("lr", rate);
        prov.put("schedule", schedule.name().toLowerCase(Locale.ROOT));
        prov.put("weight_decay", weightDecay);
        if (augmentation != null) {
            ObjectNode a = prov.putObject("augment");
            a.put("spec", augmentation.toString());
            a.put("loss", augmentation.augMix() ? "jensen-shannon consistency, lambda 12" : "cross-entropy");
            a.put("seeds", "training seed, batch number, image index in the batch");
        }
        if (gaussian != null) {
            ObjectNode g = prov.putObject("noise");
            g.put("method", "gaussian data augmentation (Cohen et al. 2019)");
            g.put("sigma", gaussian.sigma());
            g.put("space", "pixel units before normalisation, not clipped");
            g.put("seeds", "training seed, batch number, image index in the batch");
        }
        if (adversarial.enabled()) {
            prov.set("adversarial", adversarial.provenance(robust[0], test == null ? 0 : test.size()));
        }
        prov.put("seconds", Math.round(seconds * 10) / 10.0);
        prov.put("created", Instant.now().toString());
        prov.put("fovea_version", Version.VERSION);
        prov.put("java_version", System.getProperty("java.version"));
        prov.put("command", "fovea " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        net.setInfo(net.info().withProvenance(prov));
        ModelFile.save(net, out);
        o.printf(Locale.ROOT, "saved %s%s in %.1f s%n", out, test == null ? "" : String.format(Locale.ROOT, " (test accuracy %.2f%%)", 100 * last.testAccuracy()), seconds);
        return Cli.OK;
    }

    /** {@code --augment}, or null without it; refuses AugMix with adversarial training. */
    private Augmentation augmentation() {
        if (augment != null && augment.augMix() && adversarial.enabled()) {
            throw new UsageException("--augment augmix cannot be combined with --adversarial: AugMix trains on each image and two AugMix copies "
                    + "with its own loss, adversarial training replaces the batch by attacked images");
        }
        return augment;
    }

    /**
     * {@code --noise}, or null without it. Refused with {@code --adversarial}: noise on the base classifier's
     * adversarial examples is neither Cohen et al.'s training nor SmoothAdv's (Salman et al. 2019), which attacks
     * the smoothed classifier.
     */
    private GaussianAugmentation gaussian() {
        if (noise == null) {
            return null;
        }
        if (adversarial.enabled()) {
            throw new UsageException("--noise cannot be combined with --adversarial: Gaussian data augmentation trains the base classifier "
                    + "on noisy images, adversarial training on the base classifier's attacked images, and noise on those is neither");
        }
        if (!(noise > 0) || !Double.isFinite(noise)) {
            throw new UsageException("--noise must be a positive number (pixel units), got " + noise);
        }
        return new GaussianAugmentation(noise);
    }

    /** The library's {@code "augment: "} prefix dropped, as the flag names it. */
    private static String unprefixed(String message) {
        return message.startsWith("augment: ") ? message.substring("augment: ".length()) : message;
    }

    /**
     * The batch hook: the augmentation, then the adversarial attack or the Gaussian noise (never both) on the
     * augmented images; null for none.
     */
    private BatchTransform transform(Augmentation augmentation, GaussianAugmentation gaussian) {
        BatchTransform aug = augmentation == null ? null : augmentation.transform(seed);
        BatchTransform after = adversarial.enabled() ? adversarial.transform(seed) : gaussian != null ? gaussian.transform(seed) : null;
        if (aug == null || after == null) {
            return aug != null ? aug : after;
        }
        return (net, x, y, step) -> after.apply(net, aug.apply(net, x, y, step), y, step);
    }

    private float[][] normalisation(Dataset train) {
        int c = train.sampleShape().dim(0);
        if ((mean == null) != (std == null)) {
            throw new UsageException(mean == null ? "--mean is required with --std" : "--std is required with --mean");
        }
        if (mean != null) {
            if ((mean.length != 1 && mean.length != c) || (std.length != 1 && std.length != c)) {
                throw new UsageException("--mean and --std need 1 or " + c + " values each, got " + mean.length + " and " + std.length);
            }
            for (float s : std) {
                if (!(s > 0)) {
                    throw new UsageException("--std values must be positive");
                }
            }
            return new float[][] {mean, std};
        }
        float[] m = new float[c];
        float[] s = new float[c];
        float[] px = train.images().data();
        int hw = train.sampleShape().sizeFrom(1);
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double sq = 0;
            long count = 0;
            for (int n = 0; n < train.size(); n++) {
                int off = (n * c + ch) * hw;
                for (int i = 0; i < hw; i++) {
                    sum += px[off + i];
                    sq += (double) px[off + i] * px[off + i];
                }
                count += hw;
            }
            double mu = sum / count;
            m[ch] = (float) mu;
            s[ch] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, sq / count - mu * mu)));
        }
        return new float[][] {m, s};
    }
}
