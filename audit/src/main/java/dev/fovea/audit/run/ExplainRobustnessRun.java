package dev.fovea.audit.run;

import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.trust.Fragility;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Corruptions;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Explanation robustness as a plan (Ghorbani et al. 2019, {@link Fragility}): attribution methods with their
 * configurations, a perturbation within a budget, the share of pixels in the top-k intersection and a seed.
 * {@link #run} explains each image's predicted class, perturbs the images, keeps the samples whose prediction did
 * not change, and measures per method how far the maps moved (Spearman's rank correlation, top-k intersection).
 * Perturbations ({@link Perturbation}): a registered attack on the predicted label in the L-inf ball of {@code eps}
 * (PGD by default: the worst case for the label within the budget; samples it flips are left out), random sign noise
 * {@code x + eps * sign(u)} clipped to the pixel box (the paper's random baseline), or a registered corruption at a
 * severity. A budget at which no sample keeps its prediction is refused: it does not measure the maps.
 *
 * <pre>{@code
 * ExplainRobustnessRun.Result r = new ExplainRobustnessRun(List.of(saliency), List.of(cfg),
 *         ExplainRobustnessRun.Perturbation.attack("pgd", 0.01), 0.1, 0).run(model, x);
 * }</pre>
 */
public record ExplainRobustnessRun(List<Attribution> methods, List<ExplainConfig> configs, Perturbation perturbation, double topFraction, long seed) {
    /** What moves the images. */
    public enum Kind {
        ATTACK, NOISE, CORRUPTION
    }

    /**
     * A perturbation: an attack by name with its L-inf budget {@code eps} in {@code (0,1]}, random sign noise of
     * {@code eps}, or a corruption by name at {@code severity} 1 to 5.
     */
    public record Perturbation(Kind kind, String name, double eps, int severity) {
        public Perturbation {
            if (kind == null) {
                throw new InvalidOptionException("perturbation", "perturbation: expected one of attack, noise, corruption, got none");
            }
            if (kind != Kind.CORRUPTION && !(eps > 0 && eps <= 1)) {
                throw new InvalidOptionException("eps", "eps must be in (0,1] (L-inf, pixel units), got " + eps);
            }
            if (kind == Kind.ATTACK) {
                Attack a = Attacks.named(name);
                if (!a.norms().contains(Norm.LINF)) {
                    throw new InvalidOptionException("attack", "attack: " + a.name() + " does not work in linf");
                }
                if (a.minimumNorm()) {
                    throw new InvalidOptionException("attack", "attack: " + a.name() + " searches for a minimal perturbation, not one within a budget");
                }
            }
            if (kind == Kind.CORRUPTION) {
                Corruptions.named(name);
                if (severity < 1 || severity > 5) {
                    throw new InvalidOptionException("severity", "severity must be in [1,5], got " + severity);
                }
            }
        }

        public static Perturbation attack(String name, double eps) {
            return new Perturbation(Kind.ATTACK, name, eps, 0);
        }

        public static Perturbation noise(double eps) {
            return new Perturbation(Kind.NOISE, null, eps, 0);
        }

        public static Perturbation corruption(String name, int severity) {
            return new Perturbation(Kind.CORRUPTION, name, Double.NaN, severity);
        }

        /** As a report writes it: {@code pgd eps 0.01}, {@code random sign eps 0.01}, {@code gaussian-noise severity 1}. */
        public String describe() {
            return switch (kind) {
                case ATTACK -> String.format(Locale.ROOT, "%s eps %s", name, eps);
                case NOISE -> String.format(Locale.ROOT, "random sign eps %s", eps);
                case CORRUPTION -> name + " severity " + severity;
            };
        }

        /** The options by library name, for provenance. */
        public Map<String, Object> options() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("perturbation", kind.name().toLowerCase(Locale.ROOT));
            if (name != null) {
                o.put(kind == Kind.ATTACK ? "attack" : "corruption", name);
            }
            if (kind == Kind.CORRUPTION) {
                o.put("severity", severity);
            } else {
                o.put("eps", eps);
            }
            return o;
        }

        /** The perturbed images; {@code pred} are the clean predictions, the labels an attack works against. */
        Tensor apply(Classifier model, Tensor x, int[] pred, long seed) {
            return switch (kind) {
                case ATTACK -> {
                    Attack a = Attacks.named(name);
                    AttackConfig cfg = a.defaults(Norm.LINF, eps).withSeed(seed);
                    yield a.run(model, x, pred, cfg).adversarial();
                }
                case NOISE -> {
                    Tensor out = x.copy();
                    float lo = model.bounds()[0];
                    float hi = model.bounds()[1];
                    SplittableRandom rng = new SplittableRandom(seed);
                    for (int j = 0; j < out.size(); j++) {
                        float v = out.data()[j] + (float) (rng.nextBoolean() ? eps : -eps);
                        out.data()[j] = Math.max(lo, Math.min(hi, v));
                    }
                    yield out;
                }
                case CORRUPTION -> {
                    Corruption<?> c = Corruptions.named(name);
                    yield c.apply(x, severity, seed);
                }
            };
        }
    }

    public ExplainRobustnessRun {
        if (methods == null || methods.isEmpty()) {
            throw new InvalidOptionException("method", "method: expected at least one attribution method");
        }
        if (configs == null || configs.size() != methods.size()) {
            throw new IllegalArgumentException("explain robustness: expected one configuration per method, got " + (configs == null ? 0 : configs.size())
                    + " for " + methods.size());
        }
        if (perturbation == null) {
            throw new InvalidOptionException("perturbation", "perturbation is required");
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new InvalidOptionException("topFraction", "topFraction must be in (0,1], got " + topFraction);
        }
        if (methods.stream().distinct().count() != methods.size()) {
            throw new InvalidOptionException("method", "method: each method may be given once, got " + methods.stream().map(Attribution::name).toList());
        }
        methods = List.copyOf(methods);
        configs = List.copyOf(configs);
    }

    /** Every option of the plan by library name, for provenance. */
    public Map<String, Object> options() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", methods.stream().map(Attribution::name).toList());
        o.putAll(perturbation.options());
        o.put("topFraction", topFraction);
        o.put("seed", seed);
        return o;
    }

    /**
     * The outcome: the plan, class names, the clean and perturbed images, the clean and perturbed predictions, the
     * largest L-inf distance between them, the fragility per method, and the wall time in seconds.
     */
    public record Result(ExplainRobustnessRun plan, List<String> classNames, Tensor images, Tensor perturbed, int[] prediction, int[] perturbedPrediction,
                         double linf, Fragility.Result fragility, double seconds) {
        public int size() {
            return prediction.length;
        }
    }

    public Result run(Classifier model, Tensor x) {
        long t0 = System.nanoTime();
        for (int j = 0; j < methods.size(); j++) {
            methods.get(j).resolve(model, x, configs.get(j).options());
        }
        int[] pred = model.predict(x);
        Tensor moved = perturbation.apply(model, x, pred, seed);
        int[] after = model.predict(moved);
        int kept = 0;
        for (int i = 0; i < pred.length; i++) {
            kept += pred[i] == after[i] ? 1 : 0;
        }
        if (kept == 0) {
            String what = perturbation.kind() == Kind.CORRUPTION ? "severity" : "eps";
            throw new InvalidOptionException(what, what + ": " + perturbation.describe() + " changes the prediction of every one of the " + pred.length
                    + " images; explanation robustness needs a budget that keeps some");
        }
        double linf = 0;
        for (int j = 0; j < x.size(); j++) {
            linf = Math.max(linf, Math.abs(moved.data()[j] - x.data()[j]));
        }
        Map<Attribution, ExplainConfig> byMethod = new java.util.IdentityHashMap<>();
        for (int j = 0; j < methods.size(); j++) {
            byMethod.put(methods.get(j), configs.get(j));
        }
        Fragility.Result f = Fragility.run(model, methods, byMethod::get, x, moved, pred, topFraction);
        return new Result(this, model.classNames(), x, moved, pred, after, linf, f, (System.nanoTime() - t0) / 1e9);
    }
}
