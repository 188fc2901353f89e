package dev.fovea.attacks;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient-masking diagnostics: every check passes on the bundled LeNet-5, and the checks that should see
 * through a masking model warn on it: a softmax saturated by scaling the logits, input quantisation, a contrast
 * curve with infinite derivatives, and a randomised model.
 */
class DiagnosticsTest {
    static final List<Double> EPS = List.of(0.0, 0.02, 0.05, 0.1);

    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(64);
    }

    static Diagnostics.Setup setup() {
        return new Diagnostics.Setup(Attacks.named("pgd"), Attacks.named("fgsm"), new MaskedModels.RandomSearch(), Norm.LINF, EPS, 3, 0.01, 0);
    }

    static Map<String, Diagnostics.Check> run(Classifier m) {
        List<Diagnostics.Check> checks = Diagnostics.run(m, data.x(), data.y(), setup(), s -> { });
        return checks.stream().collect(Collectors.toMap(Diagnostics.Check::name, c -> c));
    }

    static String statuses(Map<String, Diagnostics.Check> checks, String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(n).append('=').append(checks.get(n).status()).append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void everyCheckPassesOnTheFixtureModel() {
        Tensor before = data.x().copy();
        Map<String, Diagnostics.Check> c = run(data.model());
        assertArrayEquals(before.data(), data.x().data(), "input untouched");
        assertEquals(6, c.size());
        for (Diagnostics.Check k : c.values()) {
            assertEquals(Diagnostics.Status.PASS, k.status(), k.name() + ": " + k.evidence());
        }
    }

    @Test
    void aSaturatedSoftmaxIsFlagged() {
        Map<String, Diagnostics.Check> c = run(new MaskedModels.Saturated(data.model(), 1e4f));
        assertEquals("gradients=WARN large_eps=WARN white_vs_black=WARN", statuses(c, "gradients", "large_eps", "white_vs_black"));
        assertTrue((double) c.get("gradients").numbers().get("zero_fraction") > 0.5, c.get("gradients").evidence());
    }

    @Test
    void inputQuantisationIsFlagged() {
        Map<String, Diagnostics.Check> c = run(new MaskedModels.Quantised(data.model(), 4));
        assertEquals("gradients=WARN large_eps=WARN white_vs_black=WARN", statuses(c, "gradients", "large_eps", "white_vs_black"));
        assertEquals(1.0, (double) c.get("gradients").numbers().get("zero_fraction"));
    }

    @Test
    void infiniteDerivativesAreFlagged() {
        Map<String, Diagnostics.Check> c = run(new MaskedModels.SquareRoot(data.model()));
        assertEquals(Diagnostics.Status.WARN, c.get("gradients").status());
        assertTrue((double) c.get("gradients").numbers().get("nonfinite_fraction") > 0.5, c.get("gradients").evidence());
    }

    @Test
    void aRandomisedModelIsFlagged() {
        Map<String, Diagnostics.Check> c = run(new MaskedModels.Noisy(data.model(), 0.2, 1));
        assertEquals("restarts=WARN gradients=PASS", statuses(c, "restarts", "gradients"));
        assertTrue((double) c.get("restarts").numbers().get("agreement") < 0.5, c.get("restarts").evidence());
    }

    @Test
    void theStandardSetupComparesPgdWithFgsmOrFgm() {
        assertEquals("fgsm", Diagnostics.Setup.standard(Norm.LINF, EPS, 0).singleStep().name());
        Diagnostics.Setup l2 = Diagnostics.Setup.standard(Norm.L2, EPS, 0);
        assertEquals("fgm", l2.singleStep().name());
        assertEquals("pgd", l2.iterative().name());
        assertEquals(14.0, Diagnostics.largeEps(Norm.L2, 784), 1e-12);
    }

    @Test
    void theSetupIsChecked() {
        Attack pgd = Attacks.named("pgd");
        Attack fgsm = Attacks.named("fgsm");
        assertThrows(IllegalArgumentException.class, () -> new Diagnostics.Setup(pgd, fgsm, null, Norm.LINF, List.of(0.0), 3, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new Diagnostics.Setup(pgd, fgsm, null, Norm.LINF, EPS, 1, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> new Diagnostics.Setup(pgd, fgsm, pgd, Norm.LINF, EPS, 3, 0.01, 0));
    }
}
