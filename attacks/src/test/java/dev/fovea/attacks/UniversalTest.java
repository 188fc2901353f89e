package dev.fovea.attacks;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A universal perturbation fitted on the first 64 fixture images for the bundled LeNet-5: inside its ball, one
 * {@code [C,H,W]} perturbation, the same for the same seed, and on 64 other images it changes far more
 * predictions than random noise of the same norm (the paper's comparison).
 */
class UniversalTest {
    static Fixtures.Slice fit;
    static Fixtures.Slice heldOut;

    @BeforeAll
    static void load() throws IOException {
        Fixtures.Slice all = Fixtures.slice(128);
        fit = all.first(64);
        heldOut = all.range(64, 128);
    }

    @Test
    void foolsHeldOutImagesFarMoreThanNoiseOfTheSameNorm() {
        for (Norm norm : new Norm[] {Norm.L2, Norm.LINF}) {
            double eps = norm == Norm.L2 ? 4 : 0.15;
            Tensor before = fit.x().copy();
            Universal.Result r = Universal.fit(fit.model(), fit.x(), Universal.Options.defaults(norm, eps).withPasses(2));
            assertArrayEquals(before.data(), fit.x().data(), "input untouched");
            float[] v = r.perturbation().data();
            assertEquals(fit.x().shape().tail(), r.perturbation().shape());
            assertTrue(norm.measure(v, 0, v.length) <= eps * (1 + 1e-5), norm + ": " + norm.measure(v, 0, v.length));
            int[] clean = heldOut.model().predict(heldOut.x());
            double universal = Universal.foolingRate(heldOut.model(), heldOut.x(), clean, v);
            float[] noise = new float[v.length];
            SplittableRandom rng = new SplittableRandom(3);
            for (int j = 0; j < noise.length; j++) {
                noise[j] = norm == Norm.L2 ? (float) Perturbations.gaussian(rng) : (rng.nextBoolean() ? 1f : -1f);
            }
            double scale = eps / norm.measure(noise, 0, noise.length);
            for (int j = 0; j < noise.length; j++) {
                noise[j] *= (float) scale;
            }
            double random = Universal.foolingRate(heldOut.model(), heldOut.x(), clean, noise);
            System.out.printf("%s eps %s: fooling rate fitted %.4f (passes %s), held out %.4f, random noise %.4f%n", norm, eps, r.foolingRate(),
                    r.foolingRates(), universal, random);
            assertTrue(universal > random + 0.2, norm + ": universal " + universal + " vs random " + random);
        }
    }

    @Test
    void sameSeedSamePerturbationAndThePassesStopAtTheRate() {
        Universal.Options o = Universal.Options.defaults(Norm.L2, 3).withPasses(3).withSeed(5);
        Fixtures.Slice few = fit.first(24);
        Universal.Result a = Universal.fit(few.model(), few.x(), o);
        assertArrayEquals(a.perturbation().data(), Universal.fit(few.model(), few.x(), o).perturbation().data());
        Universal.Result once = Universal.fit(few.model(), few.x(), o.withFoolingRate(0.01));
        assertEquals(1, once.foolingRates().size(), "a rate reached after the first pass ends the fit");
    }

    @Test
    void optionsNameWhatTheyRefuse() {
        assertEquals("eps", assertThrows(InvalidOptionException.class, () -> Universal.Options.defaults(Norm.LINF, 2)).option());
        assertEquals("norm", assertThrows(InvalidOptionException.class, () -> Universal.Options.defaults(Norm.L0, 0.1)).option());
        assertEquals("passes", assertThrows(InvalidOptionException.class, () -> Universal.Options.defaults(Norm.L2, 1).withPasses(0)).option());
        assertEquals("foolingRate", assertThrows(InvalidOptionException.class, () -> Universal.Options.defaults(Norm.L2, 1).withFoolingRate(1.5)).option());
    }
}
