package dev.fovea.audit.run;

import dev.fovea.attacks.Universal;
import dev.fovea.audit.Stats;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A universal adversarial perturbation ({@link Universal}) as a plan: fitted on the first {@code fit} images of a
 * data set and measured on the rest, the held-out images it never saw, as the paper reports its fooling rates.
 * {@link #run} returns the perturbation, the fooling rates on both parts, and the held-out accuracy without and
 * with it.
 */
public record UniversalRun(Universal.Options options, int fit) {
    public UniversalRun {
        if (options == null) {
            throw new IllegalArgumentException("universal run: expected options, got null");
        }
        if (fit < 1) {
            throw new InvalidOptionException("fit", "fit must be at least 1, got " + fit);
        }
    }

    /**
     * The outcome: the plan, the class names, the fit ({@link Universal.Result}), the held-out images and labels, the
     * model's predictions on them without and with the perturbation, the held-out fooling rate (the fraction of
     * predictions the perturbation changes), and the wall time in seconds.
     */
    public record Result(UniversalRun plan, List<String> classNames, Universal.Result universal, Tensor heldOut, int[] labels, int[] cleanPrediction,
                         int[] perturbedPrediction, double heldOutFoolingRate, double seconds) {
        public double cleanAccuracy() {
            return Stats.accuracy(cleanPrediction, labels);
        }

        public double perturbedAccuracy() {
            return Stats.accuracy(perturbedPrediction, labels);
        }
    }

    /** Fits on {@code x[0, fit)} and measures on {@code x[fit, N)}; at least one image must be held out. */
    public Result run(Classifier model, Tensor x, int[] y) {
        int n = y.length;
        if (fit >= n) {
            throw new InvalidOptionException("fit", "fit must be less than the " + n + " images given, so that some are held out, got " + fit);
        }
        long t0 = System.nanoTime();
        Universal.Result u = Universal.fit(model, x.slice(0, fit), options);
        Tensor held = x.slice(fit, n);
        int[] labels = Arrays.copyOfRange(y, fit, n);
        int[] clean = model.predict(held);
        int[] perturbed = model.predict(Universal.add(held, u.perturbation().data(), model.bounds()));
        int changed = 0;
        for (int i = 0; i < clean.length; i++) {
            changed += clean[i] != perturbed[i] ? 1 : 0;
        }
        return new Result(this, model.classNames(), u, held, labels, clean, perturbed, (double) changed / clean.length, (System.nanoTime() - t0) / 1e9);
    }
}
