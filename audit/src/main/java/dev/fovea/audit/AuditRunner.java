package dev.fovea.audit;

import dev.fovea.audit.report.AuditSection;
import dev.fovea.audit.sections.AttributionsSection;
import dev.fovea.audit.sections.CorruptionsSection;
import dev.fovea.audit.sections.LearnedSection;
import dev.fovea.audit.sections.ModelSection;
import dev.fovea.audit.sections.RobustnessSection;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.attacks.Norm;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an audit: the registered sections ({@link #steps}) that were asked for, in registration order, each timed,
 * with progress; then the gates against what the sections measured. A new section is one class with a
 * {@code run(AuditContext)} method and one line in {@link #STEPS}. The verdict, the gates and the reproducibility
 * manifest are not steps: every audit has them ({@link AuditReport}).
 */
public final class AuditRunner {
    /** One kind of section: its name (as {@code --sections} and {@code report.json} spell it), title, and how it runs. */
    public record Step(String name, String title, Body body) {
    }

    /** What a step does: runs its plans on the context and returns its section. */
    @FunctionalInterface
    public interface Body {
        AuditSection run(AuditContext context) throws IOException;
    }

    /** What an audit reports as it goes, besides the progress of each loop. */
    public interface Listener extends ProgressListener {
        /** Section {@code index} (from 1) of {@code of} starts. */
        default void started(Step step, int index, int of) {
        }

        /** A section is done, after {@code seconds}. */
        default void done(Step step, AuditSection section, double seconds) {
        }
    }

    /**
     * The sections, in the page's order.
     */
    private static final List<Step> STEPS = List.of(
            new Step("model", "Model and clean accuracy", ModelSection::run),
            new Step("robustness", "Adversarial robustness", RobustnessSection::run),
            new Step("corruptions", "Common corruptions", CorruptionsSection::run),
            new Step("attributions", "Attributions", AttributionsSection::run),
            new Step("learned", "What the network learned", LearnedSection::run));

    /** The names of every section, in order, including those not registered in this build. */
    public static final List<String> PAGE_ORDER = List.of("model", "robustness", "corruptions", "attributions", "learned");

    private AuditRunner() {
    }

    /** The registered steps, in order. */
    public static List<Step> steps() {
        return STEPS;
    }

    /** The steps named in {@code names} (any order; {@code null}: all), in registration order; an unknown name is refused. */
    public static List<Step> select(List<String> names) {
        if (names == null) {
            return STEPS;
        }
        List<String> known = STEPS.stream().map(Step::name).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                String why = PAGE_ORDER.contains(n) ? "the " + n + " section is not part of this build" : "unknown section '" + n + "'";
                throw new InvalidOptionException("sections", "sections: " + why + " (sections: " + String.join(", ", known) + ")");
            }
        }
        return STEPS.stream().filter(s -> names.contains(s.name())).toList();
    }

    /**
     * Checks {@code gates} against the sections that will run, before any work: a gate whose section is not among
     * {@code steps} (or not registered) is refused, naming it.
     */
    public static void checkGates(List<Gate> gates, List<Step> steps) {
        List<String> running = steps.stream().map(Step::name).toList();
        for (Gate g : gates) {
            if (!running.contains(g.section())) {
                boolean registered = STEPS.stream().anyMatch(s -> s.name().equals(g.section()));
                if (registered) {
                    throw new InvalidOptionException("failUnder", "failUnder: '" + g.rule() + "' is measured by the " + g.section()
                            + " section, which sections leaves out", "sections");
                }
                throw new InvalidOptionException("failUnder", "failUnder: '" + g.rule() + "' is measured by the " + g.section()
                        + " section, which is not part of this build");
            }
        }
    }

    /**
     * The plan made ready for input {@code [C,H,W]} and {@code gates}: the verdict's budget added to every L-inf
     * attack, each gate's budget to its attack (or, for {@code worst-NORM}, to every attack of the norm); a gate on
     * an attack the plan does not run is refused. The plan's run plans are checked here.
     */
    public static AuditPlan prepare(AuditPlan plan, Shape input, List<Gate> gates) {
        List<AuditPlan.AttackSpec> attacks = new ArrayList<>();
        for (AuditPlan.AttackSpec a : plan.attacks()) {
            attacks.add(a.parsedNorm() == Norm.LINF ? a.withBudget(plan.verdictEps(), input) : a);
        }
        for (Gate g : gates) {
            if (g.attack() == null) {
                continue;
            }
            boolean found = false;
            for (int i = 0; i < attacks.size(); i++) {
                AuditPlan.AttackSpec a = attacks.get(i);
                boolean worst = g.attack().startsWith("worst-") && a.key().endsWith(g.attack().substring("worst".length()));
                if (a.key().equals(g.attack()) || worst) {
                    attacks.set(i, a.withBudget(g.eps(), input));
                    found = true;
                }
            }
            if (!found) {
                throw new InvalidOptionException("failUnder", "failUnder: '" + g.rule() + "': the plan runs no " + g.attack() + " attack (attacks: "
                        + String.join(", ", plan.attacks().stream().map(AuditPlan.AttackSpec::key).toList()) + ")");
            }
        }
        AuditPlan p = plan.withAttacks(attacks).resolved(input);
        p.check(input);
        return p;
    }

    /** Runs {@code steps} on {@code context} and evaluates {@code gates}; {@code listener} hears each section and loop. */
    public static AuditReport run(AuditContext context, List<Step> steps, List<Gate> gates, Listener listener) throws IOException {
        List<AuditSection> sections = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            listener.started(s, i + 1, steps.size());
            long t0 = System.nanoTime();
            AuditSection done = s.body().run(context);
            double sec = (System.nanoTime() - t0) / 1e9;
            context.put(s.name(), done);
            sections.add(done);
            seconds.put(s.name(), sec);
            listener.done(s, done, sec);
        }
        Map<String, Double> measured = new LinkedHashMap<>();
        measured.put("clean", context.cleanAccuracy());
        sections.forEach(s -> measured.putAll(s.metrics()));
        List<Gate.Outcome> outcomes = gates.stream().map(g -> g.evaluate(measured)).toList();
        return new AuditReport(context, sections, seconds, (System.nanoTime() - start) / 1e9, measured, outcomes);
    }
}
