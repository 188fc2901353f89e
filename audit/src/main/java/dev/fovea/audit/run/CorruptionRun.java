package dev.fovea.audit.run;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.Stats;
import dev.fovea.data.Dataset;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.image.corrupt.Family;
import dev.fovea.image.corrupt.Suite;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.nn.Softmax;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Common corruptions on a model, as a plan: the corruptions (from the {@link Corruptions} registry), the severities
 * (a subset of 1 to 5, sorted), the seed, at most how many images ({@code null}: all), images per chunk, how many
 * corrupted images of each corruption and severity the result keeps for grids, and optionally a reference result
 * (another model's, AlexNet's role in ImageNet-C) for the normalised corruption errors. A corruption that is the same
 * at every severity ({@link Corruption#graded()} false: a flip) runs once, at the first severity.
 *
 * <p>{@link #run} measures, for every corruption {@code c} and severity {@code s}: accuracy, the error
 * {@code E_{s,c} = 1 - accuracy}, the flip rate (the share of images whose prediction differs from the clean one)
 * and the mean change of the true class's softmax probability (corrupted minus clean). Per corruption: the mean error
 * over severities, the error increase over the clean error {@code mean_s E_{s,c} - E_clean} and the ratio
 * {@code mean_s E_{s,c} / E_clean}. Per suite (the 15 of {@link Suite#BENCHMARK}, and separately the 4 of
 * {@link Suite#EXTRA}): the unnormalised mean corruption error {@code mean_c mean_s E_{s,c}}; with a reference, as
 * Hendrycks and Dietterich define them (ICLR 2019, section 4): {@code CE_c = sum_s E_{s,c} / sum_s E^ref_{s,c}},
 * {@code mCE = mean_c CE_c}, {@code relative CE_c = sum_s (E_{s,c} - E_clean) / sum_s (E^ref_{s,c} - E^ref_clean)}
 * and the relative mCE, their mean. Sums run over the severities both results hold; a corruption the reference
 * lacks (or whose reference denominator is 0) is left out of the normalised means and listed. The papers give these
 * as percentages; the result holds fractions (an mCE of 1 is the reference's).
 *
 * <p>Chunks of {@link #batchSize} images are corrupted on one background thread while the model classifies the chunk
 * before: corrupting chunk {@code k+1} overlaps the forward pass on chunk {@code k}. Each chunk is corrupted with its
 * first image's index ({@link Corruption#apply(Tensor, int, long, long)}), so every number is the same whatever the
 * chunk size and the thread count. The result's {@link Timing} says how long each side took and how long the model
 * waited for corrupted images.
 *
 * <pre>{@code
 * CorruptionRun.Result r = CorruptionRun.of(Corruptions.of(Suite.BENCHMARK)).withSeverities(List.of(1, 3, 5)).run(model, data);
 * System.out.println(r.benchmark().meanError());
 * }</pre>
 */
public record CorruptionRun(List<Corruption<?>> corruptions, List<Integer> severities, long seed, Integer limit, int batchSize, int examples,
                            Reference reference) {
    /** The severities of the published benchmarks. */
    public static final List<Integer> ALL_SEVERITIES = List.of(1, 2, 3, 4, 5);
    /** Images per chunk unless given: the model loader's default batch. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Corrupted images kept per corruption and severity unless given (one grid each). */
    public static final int DEFAULT_EXAMPLES = 3;

    public CorruptionRun {
        if (corruptions == null || corruptions.isEmpty()) {
            throw new InvalidOptionException("corruptions", "corruptions: expected at least one corruption");
        }
        Set<String> seen = new HashSet<>();
        for (Corruption<?> c : corruptions) {
            if (c == null) {
                throw new InvalidOptionException("corruptions", "corruptions: expected corruptions, got null");
            }
            if (!seen.add(c.name())) {
                throw new InvalidOptionException("corruptions", "corruptions: " + c.name() + " is given twice; give each corruption once");
            }
        }
        corruptions = List.copyOf(corruptions);
        if (severities == null || severities.isEmpty()) {
            throw new InvalidOptionException("severities", "severities: expected at least one severity from 1 to 5");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer s : severities) {
            if (s == null || s < 1 || s > 5) {
                throw new InvalidOptionException("severities", "severities must be from 1 to 5, got " + s);
            }
            if (!sorted.add(s)) {
                throw new InvalidOptionException("severities", "severities: " + s + " is given twice; give each severity once");
            }
        }
        severities = List.copyOf(sorted);
        if (limit != null && limit < 1) {
            throw new InvalidOptionException("limit", "limit must be at least 1, got " + limit);
        }
        if (batchSize < 1) {
            throw new InvalidOptionException("batchSize", "batchSize must be at least 1, got " + batchSize);
        }
        if (examples < 0) {
            throw new InvalidOptionException("examples", "examples must be at least 0, got " + examples);
        }
    }

    /** {@code corruptions} at severities 1 to 5, seed 0, every image, chunks of 64, 3 examples, no reference. */
    public static CorruptionRun of(List<? extends Corruption<?>> corruptions) {
        return new CorruptionRun(List.copyOf(corruptions), ALL_SEVERITIES, 0, null, DEFAULT_BATCH_SIZE, DEFAULT_EXAMPLES, null);
    }

    public CorruptionRun withCorruptions(List<? extends Corruption<?>> c) {
        return new CorruptionRun(List.copyOf(c), severities, seed, limit, batchSize, examples, reference);
    }

    public CorruptionRun withSeverities(List<Integer> s) {
        return new CorruptionRun(corruptions, s, seed, limit, batchSize, examples, reference);
    }

    public CorruptionRun withSeed(long s) {
        return new CorruptionRun(corruptions, severities, s, limit, batchSize, examples, reference);
    }

    public CorruptionRun withLimit(Integer n) {
        return new CorruptionRun(corruptions, severities, seed, n, batchSize, examples, reference);
    }

    public CorruptionRun withBatchSize(int n) {
        return new CorruptionRun(corruptions, severities, seed, limit, n, examples, reference);
    }

    public CorruptionRun withExamples(int n) {
        return new CorruptionRun(corruptions, severities, seed, limit, batchSize, n, reference);
    }

    /** The plan with a reference result for the normalised corruption errors ({@code null}: none). */
    public CorruptionRun withReference(Reference r) {
        return new CorruptionRun(corruptions, severities, seed, limit, batchSize, examples, r);
    }

    /**
     * The corruptions that {@code spec} names: {@code all} (the whole registry), a suite ({@code benchmark},
     * {@code extra}, {@code augmentation} or {@code augmentations}), or a comma-separated list of registered names
     * (case ignored) and suites. An unknown name lists the known ones.
     */
    public static List<Corruption<?>> select(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidOptionException("corruptions", "corruptions: expected all, a suite (benchmark, extra, augmentations) or names, got nothing");
        }
        List<Corruption<?>> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            List<Corruption<?>> some;
            if (p.equals("all")) {
                some = Corruptions.all();
            } else if (suite(p) != null) {
                some = Corruptions.of(suite(p));
            } else {
                try {
                    some = List.of(Corruptions.named(p));
                } catch (IllegalArgumentException e) {
                    throw new InvalidOptionException("corruptions", "corruptions: unknown corruption '" + part.strip() + "' (known: all, benchmark, "
                            + "extra, augmentations, " + String.join(", ", Corruptions.names()) + ")");
                }
            }
            for (Corruption<?> c : some) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            throw new InvalidOptionException("corruptions", "corruptions: '" + spec + "' names no registered corruption (registered: "
                    + String.join(", ", Corruptions.names()) + ")");
        }
        return out;
    }

    /** Whether {@code spec} names groups only ({@code all} or suites), not single corruptions. */
    public static boolean groups(String spec) {
        for (String part : spec.split(",")) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            if (!p.equals("all") && suite(p) == null) {
                return false;
            }
        }
        return true;
    }

    private static Suite suite(String p) {
        for (Suite s : Suite.values()) {
            if (p.equals(s.label()) || p.equals(s.label() + "s")) {
                return s;
            }
        }
        return null;
    }

    /** The severities {@code spec} names: a range {@code 1-5}, a list {@code 1,3,5}, or both ({@code 1-2,5}). */
    public static List<Integer> severities(String spec) {
        List<Integer> out = new ArrayList<>();
        String bad = "severities must be from 1 to 5, as a list (1,3,5) or a range (1-5), got '" + spec + "'";
        if (spec == null || spec.isBlank()) {
            throw new InvalidOptionException("severities", bad);
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                if (lo < 1 || hi > 5 || lo > hi) {
                    throw new InvalidOptionException("severities", bad);
                }
                for (int s = lo; s <= hi; s++) {
                    out.add(s);
                }
            } catch (NumberFormatException e) {
                throw new InvalidOptionException("severities", bad);
            }
        }
        return out;
    }

    /** Those of the corruptions that change colours only, which images of {@code input} ({@code [C,H,W]}) do not have when {@code C != 3}. */
    public List<Corruption<?>> colourOnlyFor(Shape input) {
        return input.dim(0) == 3 ? List.of() : corruptions.stream().filter(Corruption::colourOnly).toList();
    }

    /**
     * Checks the plan against images of {@code input} ({@code [C,H,W]}) before any work: one or three channels, and
     * no colour-only corruption on grayscale images.
     */
    public void check(Shape input) {
        if (input.rank() != 3 || (input.dim(0) != 1 && input.dim(0) != 3)) {
            throw new ShapeException("corruptions: expected images [1,H,W] or [3,H,W], got " + input);
        }
        List<Corruption<?>> colour = colourOnlyFor(input);
        if (!colour.isEmpty()) {
            String names = String.join(", ", colour.stream().map(Corruption::name).toList());
            throw new InvalidOptionException("corruptions", "corruptions: " + names + (colour.size() == 1 ? " changes" : " change")
                    + " colours only, and the images " + input + " are grayscale");
        }
    }

    /** The severities {@code c} runs at: all of the plan's, or the first alone for an ungraded corruption. */
    public List<Integer> severitiesOf(Corruption<?> c) {
        return c.graded() ? severities : List.of(severities.get(0));
    }

    /** Every option of the plan by library name, for provenance. */
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("corruptions", corruptions.stream().map(Corruption::name).toList());
        o.put("severities", severities);
        o.put("seed", seed);
        o.put("limit", limit);
        o.put("batchSize", batchSize);
        o.put("examples", examples);
        o.put("reference", reference == null ? null : reference.source());
        return o;
    }

    /**
     * Another model's result, for the normalised corruption errors: where it was read from, its clean error and its
     * error by corruption name and severity.
     */
    public record Reference(String source, double cleanError, Map<String, Map<Integer, Double>> errors) {
        public Reference {
            if (!(cleanError >= 0 && cleanError <= 1)) {
                throw new IllegalArgumentException("reference: expected a clean error in [0,1], got " + cleanError);
            }
            Map<String, Map<Integer, Double>> copy = new LinkedHashMap<>();
            errors.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            errors = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /**
     * One corruption at one severity: accuracy, error, flip rate, mean change of the true class's probability, and
     * the first {@link #examples} corrupted images ({@code [E,C,H,W]}) with their predictions and the softmax of each
     * prediction.
     */
    public record Cell(String corruption, int severity, double accuracy, double error, double flipRate, double trueClassProbabilityChange,
                       Tensor examples, int[] examplePrediction, float[] exampleConfidence) {
    }

    /**
     * One corruption over its severities: mean accuracy, mean error, error increase over the clean error, error
     * ratio to it ({@code null} when the clean error is 0), mean flip rate, and with a reference the normalised and
     * relative corruption errors ({@code null} without one, or where the reference cannot normalise).
     */
    public record Summary(String corruption, Family family, Suite suite, boolean graded, List<Cell> cells, double meanAccuracy, double meanError,
                          double errorIncrease, Double errorRatio, double meanFlipRate, Double ce, Double relativeCe, double corruptingSeconds) {
    }

    /**
     * A suite's mean corruption errors: the corruptions counted, the unnormalised mean error ({@code null} when none
     * ran), and with a reference the mCE and relative mCE over those the reference holds, and those it lacks.
     */
    public record Mce(Suite suite, List<String> corruptions, Double meanError, Double mce, Double relativeMce, List<String> notInReference) {
    }

    /**
     * Where the time went: seconds spent corrupting (the background thread's), in the model (clean and corrupted
     * images), waiting for corrupted images (the model idle), the wall time, and how many images the model classified.
     */
    public record Timing(double corruptingSeconds, double modelSeconds, double waitingSeconds, double wallSeconds, long imagesClassified) {
        /** Images classified per second of wall time. */
        public double imagesPerSecond() {
            return wallSeconds > 0 ? imagesClassified / wallSeconds : 0;
        }

        /** The share of corrupting and model time that is corrupting. */
        public double corruptingShare() {
            double t = corruptingSeconds + modelSeconds;
            return t > 0 ? corruptingSeconds / t : 0;
        }
    }

    /**
     * A run's outcome: the plan, the classes, the input shape {@code [C,H,W]}, the labels, clean predictions and
     * softmax ({@code [N*K]}), clean accuracy, the first clean images ({@code [E,C,H,W]}), one summary per corruption
     * in the plan's order, the two suites' means, and the timing.
     */
    public record Result(CorruptionRun plan, List<String> classNames, Shape inputShape, int[] labels, int[] cleanPrediction, float[] cleanProbability,
                         double cleanAccuracy, Tensor cleanExamples, List<Summary> corruptions, Mce benchmark, Mce extra, Timing timing) {
        public int size() {
            return labels.length;
        }

        public double cleanError() {
            return 1 - cleanAccuracy;
        }

        /** The summary of corruption {@code name}. */
        public Summary of(String name) {
            return corruptions.stream().filter(s -> s.corruption().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("result: expected one of the corruptions run, got '" + name + "'"));
        }

        /** The corruptions by mean error, worst first (ties in the plan's order). */
        public List<Summary> worst() {
            return corruptions.stream().sorted(Comparator.comparingDouble(Summary::meanError).reversed()).toList();
        }

        /** The wall time in seconds. */
        public double seconds() {
            return timing.wallSeconds();
        }
    }

    public Result run(Classifier model, Dataset data) {
        return run(model, data.images(), data.labels(), ProgressListener.NONE);
    }

    /** Runs the plan on images {@code x} ({@code [N,C,H,W]}, pixels in [0,1]) with labels {@code y}. */
    public Result run(Classifier model, Tensor x, int[] y, ProgressListener progress) {
        if (x.shape().rank() != 4 || x.dim(0) != y.length) {
            throw new ShapeException("corruptions: expected images [N,C,H,W] and N labels, got " + x.shape() + " and " + y.length + " labels");
        }
        check(x.shape().tail());
        if (limit != null && limit < y.length) {
            x = x.slice(0, limit);
            y = Arrays.copyOf(y, limit);
        }
        long t0 = System.nanoTime();
        int n = y.length;
        int k = model.classes();
        int e = Math.min(examples, n);
        List<Job> jobs = new ArrayList<>();
        List<int[]> cells = new ArrayList<>();
        for (int c = 0; c < corruptions.size(); c++) {
            for (int s : severitiesOf(corruptions.get(c))) {
                cells.add(new int[] {c, s});
                for (int from = 0; from < n; from += batchSize) {
                    jobs.add(new Job(cells.size() - 1, corruptions.get(c), s, from, Math.min(n, from + batchSize)));
                }
            }
        }
        Tensor images = x;
        int[] pred = new int[n];
        float[] trueP = new float[n];
        float[] predP = new float[n];
        float[] examplePixels = new float[e * x.shape().sizeFrom(1)];
        List<List<Cell>> byCorruption = new ArrayList<>();
        corruptions.forEach(c -> byCorruption.add(new ArrayList<>()));
        double corrupting = 0;
        double waiting = 0;
        double[] perCorruption = new double[corruptions.size()];
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fovea-corrupt");
            t.setDaemon(true);
            return t;
        });
        double modelSeconds;
        int[] cleanPred;
        float[] cleanP;
        try (ProgressListener.Task bar = progress.start("corruptions", (long) cells.size() * n, "img")) {
            // the first chunk is corrupted while the model classifies the clean images
            Future<Corrupted> next = jobs.isEmpty() ? null : worker.submit(() -> jobs.get(0).corrupt(images, seed));
            long m0 = System.nanoTime();
            Tensor cleanLogits = model.logits(x);
            modelSeconds = (System.nanoTime() - m0) / 1e9;
            cleanP = Softmax.apply(cleanLogits.data(), n, k);
            cleanPred = cleanLogits.argmaxRows();
            for (int j = 0; j < jobs.size(); j++) {
                long w0 = System.nanoTime();
                Corrupted done = await(next);
                waiting += (System.nanoTime() - w0) / 1e9;
                corrupting += done.seconds();
                perCorruption[cells.get(done.job().cell())[0]] += done.seconds();
                if (j + 1 < jobs.size()) {
                    Job following = jobs.get(j + 1);
                    next = worker.submit(() -> following.corrupt(images, seed));
                }
                Job job = done.job();
                long f0 = System.nanoTime();
                Tensor logits = model.logits(done.images());
                modelSeconds += (System.nanoTime() - f0) / 1e9;
                float[] p = Softmax.apply(logits.data(), job.to() - job.from(), k);
                int[] cp = logits.argmaxRows();
                int per = x.shape().sizeFrom(1);
                for (int i = job.from(); i < job.to(); i++) {
                    pred[i] = cp[i - job.from()];
                    trueP[i] = p[(i - job.from()) * k + y[i]];
                    predP[i] = p[(i - job.from()) * k + pred[i]];
                    if (i < e) {
                        System.arraycopy(done.images().data(), (i - job.from()) * per, examplePixels, i * per, per);
                    }
                }
                bar.step(job.to() - job.from(), job.corruption().name() + " " + job.severity());
                if (job.to() == n) {
                    Cell cell = cell(job, pred, trueP, predP, y, cleanPred, cleanP, k, e, examplePixels, x.shape().tail());
                    byCorruption.get(cells.get(job.cell())[0]).add(cell);
                    examplePixels = new float[examplePixels.length];
                }
            }
        } finally {
            worker.shutdownNow();
        }
        double cleanAcc = Stats.accuracy(cleanPred, y);
        List<Summary> summaries = new ArrayList<>();
        for (int c = 0; c < corruptions.size(); c++) {
            summaries.add(summary(corruptions.get(c), byCorruption.get(c), 1 - cleanAcc, reference, perCorruption[c]));
        }
        Tensor cleanExamples = x.slice(0, e);
        double wall = (System.nanoTime() - t0) / 1e9;
        long classified = (long) n * (cells.size() + 1);
        return new Result(this, model.classNames(), x.shape().tail(), y, cleanPred, cleanP, cleanAcc, cleanExamples, summaries,
                mce(Suite.BENCHMARK, summaries, reference), mce(Suite.EXTRA, summaries, reference), new Timing(corrupting, modelSeconds, waiting, wall, classified));
    }

    /**
     * Every image of {@code x} ({@code [N,C,H,W]}) corrupted by {@code c} at {@code severity} with the plan's seed,
     * in chunks as {@link #run} corrupts them: the images the run classified.
     */
    public Tensor corrupt(Tensor x, Corruption<?> c, int severity) {
        int n = x.dim(0);
        float[] out = new float[x.size()];
        int per = x.shape().sizeFrom(1);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor part = c.apply(x.slice(from, to), severity, seed, from);
            System.arraycopy(part.data(), 0, out, from * per, (to - from) * per);
        }
        return new Tensor(x.shape(), out);
    }

    /** A chunk of one cell: images {@code [from, to)} under {@code corruption} at {@code severity}. */
    private record Job(int cell, Corruption<?> corruption, int severity, int from, int to) {
        Corrupted corrupt(Tensor x, long seed) {
            long t = System.nanoTime();
            Tensor out = corruption.apply(x.slice(from, to), severity, seed, from);
            return new Corrupted(this, out, (System.nanoTime() - t) / 1e9);
        }
    }

    private record Corrupted(Job job, Tensor images, double seconds) {
    }

    private static Corrupted await(Future<Corrupted> f) {
        try {
            return f.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("corruptions: interrupted", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (ex.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }

    private Cell cell(Job job, int[] pred, float[] trueP, float[] predP, int[] y, int[] cleanPred, float[] cleanP, int k, int e, float[] examplePixels,
                      Shape shape) {
        int n = y.length;
        int flips = 0;
        double change = 0;
        for (int i = 0; i < n; i++) {
            if (pred[i] != cleanPred[i]) {
                flips++;
            }
            change += trueP[i] - cleanP[i * k + y[i]];
        }
        double acc = Stats.accuracy(pred, y);
        int[] ep = Arrays.copyOf(pred, e);
        float[] conf = Arrays.copyOf(predP, e);
        return new Cell(job.corruption().name(), job.severity(), acc, 1 - acc, n == 0 ? 0 : (double) flips / n, n == 0 ? 0 : change / n,
                new Tensor(shape.withBatch(e), examplePixels), ep, conf);
    }

    /** The summary of {@code c} from its cells, given the clean error and a reference (may be null). */
    static Summary summary(Corruption<?> c, List<Cell> cells, double cleanError, Reference reference, double seconds) {
        double acc = cells.stream().mapToDouble(Cell::accuracy).average().orElse(0);
        double err = cells.stream().mapToDouble(Cell::error).average().orElse(0);
        double flips = cells.stream().mapToDouble(Cell::flipRate).average().orElse(0);
        Double ce = null;
        Double rel = null;
        if (reference != null && reference.errors().containsKey(c.name())) {
            Map<Integer, Double> ref = reference.errors().get(c.name());
            double sum = 0;
            double refSum = 0;
            double relSum = 0;
            double refRelSum = 0;
            int shared = 0;
            for (Cell cell : cells) {
                Double r = ref.get(cell.severity());
                if (r != null) {
                    sum += cell.error();
                    refSum += r;
                    relSum += cell.error() - cleanError;
                    refRelSum += r - reference.cleanError();
                    shared++;
                }
            }
            if (shared > 0 && refSum > 0) {
                ce = sum / refSum;
            }
            if (shared > 0 && refRelSum > 0) {
                rel = relSum / refRelSum;
            }
        }
        return new Summary(c.name(), c.family(), c.suite(), c.graded(), List.copyOf(cells), acc, err, err - cleanError,
                cleanError > 0 ? err / cleanError : null, flips, ce, rel, seconds);
    }

    /** The means of {@code suite}'s corruptions among {@code all}; normalised ones with a reference (may be null). */
    static Mce mce(Suite suite, List<Summary> all, Reference reference) {
        List<Summary> in = all.stream().filter(s -> s.suite() == suite).toList();
        List<String> names = in.stream().map(Summary::corruption).toList();
        Double mean = in.isEmpty() ? null : in.stream().mapToDouble(Summary::meanError).average().getAsDouble();
        if (reference == null) {
            return new Mce(suite, names, mean, null, null, List.of());
        }
        List<String> missing = in.stream().filter(s -> s.ce() == null).map(Summary::corruption).toList();
        double[] ces = in.stream().filter(s -> s.ce() != null).mapToDouble(Summary::ce).toArray();
        double[] rels = in.stream().filter(s -> s.relativeCe() != null).mapToDouble(Summary::relativeCe).toArray();
        return new Mce(suite, names, mean, ces.length == 0 ? null : Stats.mean(ces), rels.length == 0 ? null : Stats.mean(rels), missing);
    }
}
