package dev.fovea.attacks;

import dev.fovea.model.Classifier;
import dev.fovea.model.Objective;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EOT-PGD on the bundled LeNet-5: on the deterministic model it is PGD, image for image, at {@code samples} times
 * the queries; on the same model behind Gaussian input noise (a model with randomness) it lowers the accuracy of the
 * noisy model's majority vote further than PGD does with the same steps.
 */
class EotPgdTest {
    static Fixtures.Slice data;

    @BeforeAll
    static void load() throws IOException {
        data = Fixtures.slice(32);
    }

    /** The model with Gaussian noise of standard deviation {@code sigma} added to its input on every call, from its own seeded generator. */
    static final class Noisy extends MaskedModels.Wrapper {
        private final double sigma;
        private final SplittableRandom rng;

        Noisy(Classifier inner, double sigma, long seed) {
            super(inner);
            this.sigma = sigma;
            this.rng = new SplittableRandom(seed);
        }

        private synchronized Tensor noisy(Tensor x) {
            float[] d = x.data().clone();
            for (int j = 0; j < d.length; j++) {
                d[j] += (float) (sigma * Perturbations.gaussian(rng));
            }
            return new Tensor(x.shape(), d);
        }

        @Override
        public Tensor logits(Tensor x) {
            return inner.logits(noisy(x));
        }

        @Override
        public Gradient gradient(Tensor x, Objective objective) {
            return inner.gradient(noisy(x), objective);
        }
    }

    /** The fraction of samples whose majority vote over {@code draws} noisy predictions is the label. */
    static double voteAccuracy(Classifier noisy, Tensor adv, int[] y, int draws) {
        int k = noisy.classes();
        int[][] votes = new int[y.length][k];
        for (int d = 0; d < draws; d++) {
            int[] p = noisy.predict(adv);
            for (int i = 0; i < y.length; i++) {
                votes[i][p[i]]++;
            }
        }
        int right = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                best = votes[i][c] > votes[i][best] ? c : best;
            }
            right += best == y[i] ? 1 : 0;
        }
        return (double) right / y.length;
    }

    @Test
    void onADeterministicModelItIsPgd() {
        Attack eot = Attacks.named("eot-pgd");
        Attack pgd = Attacks.named("pgd");
        for (Norm norm : new Norm[] {Norm.LINF, Norm.L2}) {
            double eps = norm == Norm.LINF ? 0.05 : 0.5;
            AttackConfig c = pgd.defaults(norm, eps).withRestarts(2).withSeed(5);
            AttackResult plain = data.run(pgd, c);
            AttackResult expected = data.run(eot, c.withOptions(eot.options(Map.of("samples", "3"))));
            assertArrayEquals(plain.adversarial().data(), expected.adversarial().data(), norm + ": the same images");
            for (int i = 0; i < data.size(); i++) {
                assertEquals(3 * plain.queries()[i], expected.queries()[i], norm + " sample " + i + ": three calls per gradient");
            }
        }
    }

    @Test
    void onAModelWithRandomnessItBeatsPgd() {
        double sigma = 0.5;
        AttackConfig c = Attacks.named("pgd").defaults(Norm.LINF, 0.1).withSeed(2);
        Classifier judge = new Noisy(data.model(), sigma, 99);
        Tensor byPgd = data.on(new Noisy(data.model(), sigma, 1)).run(Attacks.named("pgd"), c).adversarial();
        Attack eot = Attacks.named("eot-pgd");
        Tensor byEot = data.on(new Noisy(data.model(), sigma, 1)).run(eot, c.withOptions(eot.defaultOptions())).adversarial();
        double clean = voteAccuracy(judge, data.x(), data.y(), 51);
        double pgd = voteAccuracy(judge, byPgd, data.y(), 51);
        double expectation = voteAccuracy(judge, byEot, data.y(), 51);
        System.out.printf("majority-vote accuracy under noise %.2f: clean %.4f, pgd %.4f, eot-pgd %.4f%n", sigma, clean, pgd, expectation);
        assertTrue(expectation < pgd - 0.1, "eot-pgd " + expectation + " vs pgd " + pgd + " (clean " + clean + ")");
    }
}
