package dev.fovea.audit;

import dev.fovea.attacks.Attacks;
import dev.fovea.attacks.Norm;
import dev.fovea.method.InvalidOptionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One release gate of an audit, as a CI pipeline states it: a metric and the value it may not fall under (or, for an
 * error rate, rise above). {@link #parse} reads a comma-separated list of {@code METRIC=VALUE} rules:
 * <ul>
 *   <li>{@code clean=0.9}: clean accuracy at least 0.9;</li>
 *   <li>{@code pgd-linf@0.03=0.5}: robust accuracy under the attack {@code pgd} in L-inf at budget 0.03 (a number or
 *       a fraction such as {@code 8/255}) at least 0.5; the audit adds the budget to that attack's if needed;</li>
 *   <li>{@code worst-linf@0.03=0.4}: the worst case over every attack of the norm at that budget (a sample counts as
 *       robust only if no attack fooled it) at least 0.4;</li>
 *   <li>{@code mce=0.25}: mean corruption error (1 - accuracy, averaged over corruptions and severities) at most
 *       0.25: an error, so the gate fails above the value;</li>
 *   <li>{@code sanity=pass}: every attribution method passes the model-randomisation check;</li>
 *   <li>{@code diagnostics=pass}: every gradient-masking check passes.</li>
 * </ul>
 * Each gate names the section that measures it ({@link #section}); an audit that does not run that section refuses
 * the gate before any work.
 *
 * @param rule the rule as written
 * @param metric the metric's key among the audit's measurements ({@link #key})
 * @param kind how the measured value is compared
 * @param threshold the value (1 for {@code pass})
 * @param section the section that measures the metric
 * @param attack for attack metrics the attack's key ({@code pgd-linf}) or {@code worst-NORM}; else null
 * @param eps for attack metrics the budget; else null
 */
public record Gate(String rule, String metric, Kind kind, double threshold, String section, String attack, Double eps) {
    /** How a gate compares. */
    public enum Kind {
        /** Passes when the value is at least the threshold. */
        AT_LEAST,
        /** Passes when the value is at most the threshold (error rates). */
        AT_MOST,
        /** Passes when the check passed (value 1). */
        PASS
    }

    /** The metrics a rule may name, for messages. */
    public static final String METRICS = "clean, METHOD-NORM@EPS (e.g. pgd-linf@0.03), worst-NORM@EPS, mce, sanity, diagnostics";

    /** A gate's outcome: the rule, the measured value as shown and as a number ({@code null} if not measured), pass or fail. */
    public record Outcome(String rule, String metric, String comparison, double threshold, Double value, String measured, boolean pass) {
    }

    /** The key of an attack metric: {@code pgd-linf@0.03}, the budget written as Java writes the double. */
    public static String key(String attack, double eps) {
        return attack + "@" + eps;
    }

    /** Parses {@code rules} ({@code clean=0.9,pgd-linf@0.03=0.5,sanity=pass}); a malformed rule or unknown metric is an {@link InvalidOptionException}. */
    public static List<Gate> parse(String rules) {
        List<Gate> out = new ArrayList<>();
        if (rules == null || rules.isBlank()) {
            throw new InvalidOptionException("failUnder", "failUnder: expected METRIC=VALUE rules separated by commas, got nothing");
        }
        for (String r : rules.split(",", -1)) {
            out.add(one(r.strip()));
        }
        return out;
    }

    private static Gate one(String rule) {
        int eq = rule.lastIndexOf('=');
        if (eq <= 0 || eq == rule.length() - 1) {
            throw bad(rule, "expected METRIC=VALUE");
        }
        String metric = rule.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String value = rule.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
        switch (metric) {
            case "clean":
                return new Gate(rule, "clean", Kind.AT_LEAST, fraction(rule, value), "model", null, null);
            case "mce":
                return new Gate(rule, "mce", Kind.AT_MOST, fraction(rule, value), "corruptions", null, null);
            case "sanity":
            case "diagnostics":
                if (!value.equals("pass")) {
                    throw bad(rule, metric + " takes the value pass");
                }
                return new Gate(rule, metric, Kind.PASS, 1, metric.equals("sanity") ? "attributions" : "robustness", null, null);
            default:
                break;
        }
        int at = metric.indexOf('@');
        int dash = at < 0 ? -1 : metric.lastIndexOf('-', at);
        if (at < 0 || dash <= 0) {
            throw new InvalidOptionException("failUnder", "failUnder: unknown metric '" + metric + "' in '" + rule + "' (metrics: " + METRICS + ")");
        }
        String method = metric.substring(0, dash);
        Norm norm;
        try {
            norm = Norm.parse(metric.substring(dash + 1, at));
        } catch (IllegalArgumentException e) {
            throw bad(rule, "unknown norm '" + metric.substring(dash + 1, at) + "' (norms: linf, l2, l0)");
        }
        if (!method.equals("worst") && !Attacks.names().contains(method)) {
            throw bad(rule, "unknown attack '" + method + "' (attacks: worst, " + String.join(", ", Attacks.names()) + ")");
        }
        double eps = budget(rule, metric.substring(at + 1));
        String attack = method + "-" + norm.name().toLowerCase(Locale.ROOT);
        return new Gate(rule, key(attack, eps), Kind.AT_LEAST, fraction(rule, value), "robustness", attack, eps);
    }

    private static double fraction(String rule, String v) {
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(rule, "expected a value in [0,1], got '" + v + "'");
        }
        if (!(d >= 0 && d <= 1)) {
            throw bad(rule, "expected a value in [0,1], got " + v);
        }
        return d;
    }

    private static double budget(String rule, String v) {
        int slash = v.indexOf('/');
        double e;
        try {
            e = slash < 0 ? Double.parseDouble(v) : Double.parseDouble(v.substring(0, slash)) / Double.parseDouble(v.substring(slash + 1));
        } catch (NumberFormatException ex) {
            throw bad(rule, "expected a budget such as 0.03 or 8/255 after @, got '" + v + "'");
        }
        if (!(e > 0) || !Double.isFinite(e)) {
            throw bad(rule, "expected a positive finite budget after @, got '" + v + "'");
        }
        return e;
    }

    private static InvalidOptionException bad(String rule, String what) {
        return new InvalidOptionException("failUnder", "failUnder: '" + rule + "': " + what);
    }

    /** The outcome against the audit's measurements ({@code metric} to value; pass/fail checks are 1 or 0). A metric not measured fails. */
    public Outcome evaluate(Map<String, Double> measured) {
        Double v = measured.get(metric);
        String comparison = switch (kind) {
            case AT_LEAST -> ">=";
            case AT_MOST -> "<=";
            case PASS -> "=";
        };
        if (v == null || v.isNaN()) {
            return new Outcome(rule, metric, comparison, threshold, null, "not measured", false);
        }
        boolean pass = switch (kind) {
            case AT_LEAST -> v >= threshold;
            case AT_MOST -> v <= threshold;
            case PASS -> v == 1;
        };
        String shown = kind == Kind.PASS ? (v == 1 ? "pass" : "fail") : String.format(Locale.ROOT, "%.4f", v);
        return new Outcome(rule, metric, comparison, threshold, v, shown, pass);
    }
}
