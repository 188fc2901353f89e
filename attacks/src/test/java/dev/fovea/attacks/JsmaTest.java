package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
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
        Fixtures.Slice data = Fixtures.slice(16);
        Tensor x = data.x();
        int[] y = data.y();
        Attack jsma = Attacks.named("jsma");
        double gamma = 0.145;
        AttackResult r = data.run(jsma, jsma.defaults(Norm.L0, gamma).withTarget(new Target.RandomClass()).withSeed(3));
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
        Attack jsma = Attacks.named("jsma");
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> jsma.run(Fixtures.lenet5(Fixtures.BATCH), Tensor.zeros(1, 1, 28, 28), new int[] {0}, jsma.defaults(Norm.LINF, 0.1)));
        assertEquals("norm", e.option());
        assertEquals("norm: jsma works in l0, got linf", e.getMessage());
    }
}
