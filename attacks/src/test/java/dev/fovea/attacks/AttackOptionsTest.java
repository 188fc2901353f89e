package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry describes every attack and its options: names of {@link AttackConfig} components only, defaults
 * equal to what {@link Attack#defaults(Norm, double)} gives; its own options, components of its options record with
 * the record's defaults; the options record's copies and its validation, whose
 * messages name the option by its library name and never a command-line flag; adding an attack at run time.
 */
class AttackOptionsTest {
    /** The components of {@link AttackConfig}, by the names the attacks describe them with. */
    static final Set<String> COMPONENTS = Set.of("norm", "eps", "steps", "stepSize", "restarts", "randomStart", "target", "seed");

    static List<String> registered() {
        return Attacks.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void describesItsOptionsWithTheDefaultsItUses(String name) {
        Attack a = Attacks.named(name);
        List<OptionInfo> options = a.options();
        Set<String> seen = new HashSet<>();
        for (OptionInfo o : options) {
            assertTrue(COMPONENTS.contains(o.name()), a.name() + ": " + o.name() + " is no AttackConfig component");
            assertTrue(seen.add(o.name()), a.name() + ": " + o.name() + " described twice");
            assertFalse(o.description().isBlank(), a.name() + " " + o.name());
            assertFalse(o.description().contains("--"), a.name() + " " + o.name() + ": " + o.description());
        }
        assertTrue(seen.contains("norm") && seen.contains("eps"), a.name() + " describes its norm and budget");
        for (Norm norm : a.norms()) {
            for (double eps : new double[] {0.03, 0.3}) {
                AttackConfig d = a.defaults(norm, eps);
                for (OptionInfo o : options) {
                    String where = a.name() + " " + norm + " eps " + eps + ": " + o.name();
                    switch (o.name()) {
                        case "norm" -> {
                            assertEquals(OptionInfo.spelling(a.defaultNorm()), o.defaultValue(), where);
                            assertEquals(a.norms().stream().map(OptionInfo::spelling).toList(), o.choices(), where);
                        }
                        case "eps" -> assertNull(o.defaultValue(), where + ": the budget has no default");
                        case "steps" -> assertEquals(String.valueOf(d.steps()), o.defaultValue(), where);
                        case "stepSize" -> assertEquals(d.stepSize(), evaluate(o.defaultValue(), eps), 1e-12 * d.stepSize(), where + " " + o.defaultValue());
                        case "restarts" -> assertEquals(String.valueOf(d.restarts()), o.defaultValue(), where);
                        case "randomStart" -> assertEquals(String.valueOf(d.randomStart()), o.defaultValue(), where);
                        case "target" -> {
                            assertNull(o.defaultValue(), where);
                            assertEquals(Target.UNTARGETED, d.target(), where);
                        }
                        case "seed" -> assertEquals(String.valueOf(d.seed()), o.defaultValue(), where);
                        default -> throw new AssertionError(where);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void describesItsOwnOptionsWithTheDefaultsOfItsRecord(String name) {
        Attack a = Attacks.named(name);
        AttackOptions d = a.defaultOptions();
        Set<String> components = d.getClass().isRecord()
                ? Arrays.stream(d.getClass().getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet()) : Set.of();
        Map<String, String> given = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (OptionInfo o : a.optionInfo()) {
            String where = a.name() + " " + o.name();
            assertFalse(COMPONENTS.contains(o.name()), where + ": an AttackConfig component is no option of the attack's own");
            assertTrue(components.contains(o.name()), where + ": no component of " + d.getClass().getName());
            assertTrue(seen.add(o.name()), where + " described twice");
            assertTrue(Set.of("int", "double", "boolean").contains(o.type()), where + ": " + o.type());
            assertNotNull(o.defaultValue(), where);
            assertFalse(o.description().isBlank() || o.description().contains("--"), where + ": " + o.description());
            given.put(o.name(), o.defaultValue());
        }
        assertEquals(d, a.options(Map.of()), a.name() + ": no values, the defaults");
        assertEquals(d, a.options(given), a.name() + ": the defaults as described");
        assertEquals(d, a.resolve(AttackOptions.NONE), a.name());
        for (Norm norm : a.norms()) {
            assertEquals(d, a.resolve(a.defaults(norm, 0.1).options()), a.name() + " " + norm + ": the config's defaults");
        }
    }

    /** A default written {@code 0.05}, {@code eps}, {@code 2*eps} or {@code eps/8} at budget {@code eps}. */
    static double evaluate(String expression, double eps) {
        assertNotNull(expression, "a step size default");
        double v = 1;
        boolean divide = false;
        for (String token : expression.split("(?=[*/])|(?<=[*/])")) {
            switch (token) {
                case "*" -> divide = false;
                case "/" -> divide = true;
                default -> {
                    double f = token.equals("eps") ? eps : Double.parseDouble(token);
                    v = divide ? v / f : v * f;
                }
            }
        }
        return v;
    }

    @Test
    void theEvaluatorReadsTheDefaultsAsWritten() {
        assertEquals(0.6, evaluate("2*eps", 0.3), 1e-15);
        assertEquals(0.3 / 8, evaluate("eps/8", 0.3), 1e-15);
        assertEquals(0.05, evaluate("0.05", 0.3), 1e-15);
        assertEquals("eps", SharedOptions.timesEps(1));
        assertEquals("2*eps", SharedOptions.timesEps(2));
        assertEquals("eps/4", SharedOptions.timesEps(0.25));
        assertEquals("eps/8", SharedOptions.timesEps(2.5 / 20));
        assertEquals("0.3*eps", SharedOptions.timesEps(0.3));
    }

    @Test
    void copiesChangeOneComponent() {
        Attack pgd = Attacks.named("pgd");
        AttackConfig d = pgd.defaults(Norm.LINF, 8 / 255.);
        AttackConfig c = d.withSteps(40);
        assertEquals(new AttackConfig(Norm.LINF, 8 / 255., 40, d.stepSize(), 1, true, Target.UNTARGETED, 0), c);
        assertEquals(0.01, d.withStepSize(0.01).stepSize());
        assertEquals(3, d.withRestarts(3).restarts());
        assertFalse(d.withRandomStart(false).randomStart());
        assertEquals(new Target.LeastLikely(), d.withTarget(new Target.LeastLikely()).target());
        assertEquals(42L, d.withSeed(42).seed());
        assertEquals(Norm.L2, d.withNorm(Norm.L2).norm());
        assertEquals(d.stepSize() * 2, d.withEps(16 / 255.).stepSize(), 1e-15, "withEps scales the step along");
        assertEquals(d, pgd.defaults(Norm.LINF, 8 / 255.), "the defaults are unchanged");
    }

    @Test
    void badValuesNameTheOptionByItsLibraryName() throws IOException {
        AttackConfig d = Attacks.named("pgd").defaults(Norm.LINF, 0.1);
        invalid("eps", "eps must be in [0,1] (pixel units), got 1.5", () -> d.withEps(1.5));
        invalid("eps", "eps must be in [0,1] (pixel units), got -0.1", () -> d.withEps(-0.1));
        invalid("steps", "steps must be at least 1, got 0", () -> d.withSteps(0));
        invalid("stepSize", "stepSize must be positive, got -1.0", () -> d.withStepSize(-1));
        invalid("restarts", "restarts must be at least 1, got 0", () -> d.withRestarts(0));
        invalid("norm", "norm is required", () -> d.withNorm(null));
        invalid("target", "target is required (Target.UNTARGETED for none)", () -> d.withTarget(null));
        invalid("norm", "norm must be linf, l2 or l0, got 'l3'", () -> Norm.parse("l3"));
        invalid("target", "target: unknown class 'Spaceship' (random, least-likely, a class index or one of: cat, dog)",
                () -> Target.parse("Spaceship", List.of("cat", "dog")));
        Classifier model = Fixtures.lenet5(Fixtures.BATCH);
        invalid("target", "target: class 12 does not exist (the model has 10 classes)",
                () -> new Target.Fixed(12).resolve(model, Tensor.zeros(1, 1, 28, 28), new int[] {0}, 0));
        invalid("norm", "norm: cw works in l2, got linf", () -> Attacks.named("cw").requireNorm(Norm.LINF));
        invalid("norm", "norm: pgd works in linf or l2, got l0", () -> Attacks.named("pgd").requireNorm(Norm.L0));
    }

    private static void invalid(String option, String message, Executable e) {
        InvalidOptionException x = assertThrows(InvalidOptionException.class, e);
        assertEquals(option, x.option());
        assertEquals(message, x.getMessage());
        assertTrue(x.getMessage().startsWith(option), x.getMessage());
    }

    @Test
    void anAttackCanBeAddedAtRunTime() {
        Attack extra = new MaskedModels.RandomSearch();
        assertFalse(Attacks.names().contains(extra.name()));
        Attacks.register(extra);
        try {
            assertSame(extra, Attacks.named("Random-Search"));
            assertEquals(extra.name(), Attacks.names().get(Attacks.names().size() - 1));
            assertTrue(Attacks.all().contains(extra));
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> Attacks.register(new MaskedModels.RandomSearch()));
            assertTrue(taken.getMessage().contains("'random-search' is taken"), taken.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Attacks.register(Attacks.named("pgd")));
        } finally {
            assertSame(extra, Attacks.unregister(extra.name()));
        }
        assertFalse(Attacks.names().contains(extra.name()));
        assertEquals(Attacks.all().stream().map(Attack::name).toList(), Attacks.names());
    }

    @Test
    void sharedComponentsAnAttackDoesNotReadAreNamed() {
        assertEquals(Map.of("steps", "not an option of jsma", "restarts", "not an option of jsma"),
                Attacks.named("jsma").unused(List.of("steps", "stepSize", "restarts")));
        assertEquals(Map.of(), Attacks.named("pgd").unused(List.of("steps", "stepSize", "restarts", "randomStart")));
        assertEquals(Map.of("stepSize", "not an option of deepfool"), Attacks.named("deepfool").unused(List.of("steps", "stepSize")));
    }
}
