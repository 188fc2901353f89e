package dev.fovea.attacks;

import dev.fovea.method.OptionInfo;

import java.util.List;
import java.util.Locale;

/**
 * The descriptions of the {@link AttackConfig} components, as the attacks' {@link Attack#options()} list them: one
 * factory per component, the default and the meaning for that attack given by the caller.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** The attack's norms as choices, its default norm as default. */
    static OptionInfo norm(Attack a) {
        List<String> choices = a.norms().stream().map(OptionInfo::spelling).toList();
        return new OptionInfo("norm", "enum", OptionInfo.spelling(a.defaultNorm()), "norm of the budget and of each step", choices);
    }

    static OptionInfo eps(String meaning) {
        return OptionInfo.of("eps", "double", null, meaning);
    }

    /** The budget of a fixed-budget attack. */
    static OptionInfo eps() {
        return eps("budget in pixel units of [0,1] images, measured in the norm (l0: the fraction of input values that may change)");
    }

    static OptionInfo steps(int defaultValue, String meaning) {
        return OptionInfo.of("steps", "int", defaultValue, meaning);
    }

    /** {@code defaultValue} is text: a number, or an expression in {@code eps} ({@link #timesEps}). */
    static OptionInfo stepSize(String defaultValue, String meaning) {
        return OptionInfo.of("stepSize", "double", defaultValue, meaning);
    }

    static OptionInfo restarts(int defaultValue) {
        return OptionInfo.of("restarts", "int", defaultValue, "runs from fresh random starts; each sample keeps its worst case");
    }

    static OptionInfo randomStart(boolean defaultValue) {
        return OptionInfo.of("randomStart", "boolean", defaultValue, "start from a uniform random point of the eps ball instead of the clean image");
    }

    static OptionInfo target(String meaning) {
        return OptionInfo.of("target", "string", null, meaning + ": random (a random wrong class), least-likely, a class index or a class name; "
                + "untargeted when not given");
    }

    /** A target class per sample, as most attacks take it. */
    static OptionInfo target() {
        return target("class to aim for instead of any wrong one");
    }

    static OptionInfo seed(String meaning) {
        return OptionInfo.of("seed", "long", AttackConfig.DEFAULT_SEED, meaning);
    }

    /**
     * {@code factor * eps} as text: {@code eps}, {@code eps/4}, {@code 2*eps} or {@code 0.3*eps}; the step size
     * of {@code defaults} at a positive {@code eps}.
     */
    static String timesEps(double factor) {
        if (factor == 1) {
            return "eps";
        }
        if (factor == Math.rint(factor)) {
            return (long) factor + "*eps";
        }
        double inverse = 1 / factor;
        if (inverse == Math.rint(inverse)) {
            return "eps/" + (long) inverse;
        }
        return String.format(Locale.ROOT, "%s*eps", factor);
    }
}
