package dev.fovea.attacks;

import dev.fovea.data.Dataset;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSMA on the bundled LeNet-5: sparse, only raising pixels, within its pixel budget, reaching its targets. */
class JsmaTest {
    @Test
    void targetedJsmaReachesMostTargetsWithinThePaperBudget() throws IOException {
        Classifier model = Fixtures.lenet5(64);
        Dataset d = Fixtures.fashion(16);
        Tensor x = d.images();
        int[] y = d.labels();
        Attack jsma = Attacks.named("jsma");
        double gamma = 0.145;
        AttackConfig c = new AttackConfig(Norm.L0, gamma, 1, 1.0, 1, false, new Target.RandomClass(), 3);
        AttackResult r = jsma.run(model, x, y, c);
        int per = 784;
        int budget = (int) Math.floor(gamma * per);
        int reached = 0;
        for (int i = 0; i < y.length; i++) {
            assertTrue(r.l0()[i] <= budget, "sample " + i + ": " + r.l0()[i] + " pixels changed, budget " + budget);
            for (int j = 0; j < per; j++) {
                assertTrue(r.adversarial().data()[i * per + j] >= x.data()[i * per + j], "JSMA only raises pixels");
            }
            if (r.success()[i]) {
                reached++;
                assertEquals(r.target()[i], r.adversarialPrediction()[i]);
            }
        }
        System.out.printf("jsma: %d of %d targets reached at gamma %.3f, mean L0 %.1f%n", reached, y.length, gamma,
                java.util.Arrays.stream(r.l0()).average().orElse(0));
        assertTrue(reached >= 0.75 * y.length, "targets reached: " + reached + " of " + y.length);
    }

    @Test
    void worksInL0Only() throws IOException {
        Classifier model = Fixtures.lenet5(64);
        Tensor x = Tensor.zeros(1, 1, 28, 28);
        Attack jsma = Attacks.named("jsma");
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> jsma.run(model, x, new int[] {0}, jsma.defaults(Norm.LINF, 0.1)));
        assertEquals("norm", e.option());
        assertEquals("norm: jsma works in l0, got linf", e.getMessage());
    }
}
