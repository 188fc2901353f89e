package dev.fovea.attacks.certify;

import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Tensor;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized smoothing on a linear model whose smoothed classifier is known exactly ({@link LinearModel}): the
 * certificate never exceeds the distance to the boundary that the exact {@code pA} gives, approaches it as
 * {@code n} grows, abstains where the two classes tie, and is the same whatever the batch size and whichever
 * samples are certified together.
 */
class RandomizedSmoothingTest {
    private static final NormalDistribution PHI = new NormalDistribution(null, 0, 1);

    private static RandomizedSmoothing smoothing(double sigma, int n, double alpha, long seed, int batch) {
        return new RandomizedSmoothing(new LinearModel(0.3, batch), new SmoothingOptions(sigma, 100, n, alpha, seed));
    }

    @Test
    void everyCertificateIsTheBoundOfItsOwnCounts() {
        RandomizedSmoothing s = smoothing(0.5, 1000, 0.001, 1, 256);
        LinearModel m = (LinearModel) s.base();
        Tensor x = m.at(-1.2, -0.4, -0.05, 0, 0.05, 0.4, 1.2, 3);
        for (RandomizedSmoothing.Certificate c : s.certify(x)) {
            double lower = Binomial.lowerBound(c.countA(), c.draws(), 0.001);
            assertEquals(lower, c.pALower());
            assertTrue(c.countA() <= 1000 && c.selectionCount() <= 100, c.toString());
            assertTrue(c.radius() <= s.options().largestRadius(), c + " exceeds the largest radius 1000 draws allow");
            if (c.abstained()) {
                assertTrue(lower < 0.5 && c.radius() == 0, c.toString());
            } else {
                assertEquals(0.5 * PHI.inverseCumulativeProbability(lower), c.radius(), 1e-12);
                assertEquals(c.selected(), c.label());
            }
        }
    }

    @Test
    void noCertificateExceedsTheDistanceToTheBoundaryBeyondAlpha() {
        // 300 samples at margins across [-1.5, 1.5]: a certificate is wrong when its class is not the margin's sign or
        // its radius exceeds |margin|, which happens with probability at most alpha per sample.
        double alpha = 0.01;
        RandomizedSmoothing s = smoothing(0.5, 500, alpha, 7, 256);
        LinearModel m = (LinearModel) s.base();
        double[] margins = new double[300];
        for (int i = 0; i < margins.length; i++) {
            margins[i] = -1.5 + 3.0 * i / (margins.length - 1);
        }
        Tensor x = m.at(margins);
        List<RandomizedSmoothing.Certificate> cs = s.certify(x);
        int wrong = 0;
        int certified = 0;
        for (int i = 0; i < cs.size(); i++) {
            RandomizedSmoothing.Certificate c = cs.get(i);
            double mi = m.margin(x, i);
            if (!c.abstained()) {
                certified++;
                if (c.label() != (mi > 0 ? 1 : 0) || c.radius() > Math.abs(mi)) {
                    wrong++;
                }
            }
        }
        assertTrue(certified > 200, certified + " certified");
        // 3 is alpha * 300; a binomial(300, 0.01) exceeds 8 with probability below 0.001
        assertTrue(wrong <= 8, wrong + " of " + certified + " certificates exceed the analytic radius");
    }

    @Test
    void theRadiusApproachesTheAnalyticOneFromBelowAsNGrows() {
        double sigma = 0.5;
        double margin = 0.5;
        double exact = sigma * PHI.inverseCumulativeProbability(PHI.cumulativeProbability(margin / sigma));
        assertEquals(margin, exact, 1e-12, "sigma Phi^-1(pA) is the distance to the boundary");
        double previous = Double.POSITIVE_INFINITY;
        for (int n : new int[] {100, 1_000, 10_000, 100_000}) {
            RandomizedSmoothing s = smoothing(sigma, n, 0.001, 3, 512);
            LinearModel m = (LinearModel) s.base();
            RandomizedSmoothing.Certificate c = s.certify(m.at(margin), 0, 0);
            double gap = margin - c.radius();
            assertEquals(1, c.label(), c.toString());
            assertTrue(gap > 0, "n " + n + ": radius " + c.radius() + " exceeds the analytic " + margin);
            assertTrue(gap < previous, "n " + n + ": gap " + gap + " did not shrink from " + previous);
            previous = gap;
        }
        // at n = 100,000 the bound is within about 3.1 standard errors of pA: 0.0074 below in radius
        assertTrue(previous < 0.02, "gap at n = 100,000: " + previous);
    }

    @Test
    void aTieBetweenTheClassesAbstains() {
        RandomizedSmoothing s = smoothing(0.25, 1000, 0.001, 11, 256);
        LinearModel m = (LinearModel) s.base();
        Tensor x = m.at(0, 0, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, m.margin(x, i), 1e-6);
        }
        for (RandomizedSmoothing.Certificate c : s.certify(x)) {
            assertTrue(c.abstained(), c.toString());
            assertEquals(0, c.radius());
        }
        for (RandomizedSmoothing.Prediction p : s.predict(x)) {
            assertTrue(p.abstained(), p.toString());
            assertEquals(1000, p.countA() + p.countB());
            assertTrue(p.pValue() > 0.001);
        }
        // far from the boundary PREDICT does not abstain, and returns the class of the margin's sign
        List<RandomizedSmoothing.Prediction> far = s.predict(m.at(-1, 1));
        assertEquals(0, far.get(0).label());
        assertEquals(1, far.get(1).label());
        assertEquals(0, far.get(1).countB(), "only one class is ever drawn four sigma from the boundary");
    }

    @Test
    void resultsDependOnTheSeedAloneNotOnBatchSizeOrCompany() {
        double[] margins = {-0.6, -0.1, 0.02, 0.2, 0.7};
        List<RandomizedSmoothing.Certificate> reference = null;
        List<RandomizedSmoothing.Prediction> predicted = null;
        for (int batch : new int[] {1, 7, 100, 1000}) {
            RandomizedSmoothing s = smoothing(0.5, 300, 0.001, 5, batch);
            Tensor x = ((LinearModel) s.base()).at(margins);
            List<RandomizedSmoothing.Certificate> c = s.certify(x);
            List<RandomizedSmoothing.Prediction> p = s.predict(x);
            if (reference == null) {
                reference = c;
                predicted = p;
            }
            assertEquals(reference, c, "batch " + batch);
            assertEquals(predicted, p, "batch " + batch);
        }
        RandomizedSmoothing s = smoothing(0.5, 300, 0.001, 5, 64);
        Tensor x = ((LinearModel) s.base()).at(margins);
        float[] before = x.data().clone();
        Tensor tail = x.slice(2, 5);
        List<RandomizedSmoothing.Certificate> alone = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            alone.add(s.certify(tail, j, 2 + j));
        }
        assertEquals(reference.subList(2, 5), alone, "a sample certified apart, under its own index, is certified the same");
        assertArrayEquals(before, x.data(), "the input is not changed");
        List<RandomizedSmoothing.Certificate> other = smoothing(0.5, 300, 0.001, 6, 64).certify(x);
        assertNotEquals(reference, other, "another seed draws other noise");
    }

    @Test
    void drawsReachTheModelInBatchesOfItsSize() {
        RandomizedSmoothing s = smoothing(0.5, 1000, 0.001, 0, 256);
        LinearModel m = (LinearModel) s.base();
        int[] counts = s.counts(m.at(0.3), 0, 1000, 0, RandomizedSmoothing.Use.ESTIMATION);
        assertEquals(1000, counts[0] + counts[1]);
        assertEquals(4, m.calls, "1000 draws in calls of at most 256");
        // pA = Phi(0.6) = 0.7257; 1000 draws put the count within 5 standard errors (14) of 726
        assertEquals(1000 * PHI.cumulativeProbability(0.6), counts[1], 5 * Math.sqrt(1000 * 0.7257 * 0.2743));
    }

    @Test
    void optionsAreCheckedWithTheirNames() {
        assertEquals("sigma", assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(0)).option());
        assertEquals("sigma", assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(-0.5)).option());
        assertEquals("sigma", assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(Double.NaN)).option());
        assertEquals("n0", assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(0.25).withN0(0)).option());
        assertEquals("n", assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(0.25).withN(0)).option());
        for (double a : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> SmoothingOptions.defaults(0.25).withAlpha(a));
            assertEquals("alpha", e.option());
            assertTrue(e.getMessage().startsWith("alpha must be in (0,1), got "), e.getMessage());
        }
        SmoothingOptions d = SmoothingOptions.defaults(0.25);
        assertEquals(List.of(100, 1000, 0.001), List.of(d.n0(), d.n(), d.alpha()));
        assertEquals(100_000, SmoothingOptions.paper(0.25).n());
        assertEquals(0.25 * 2.4632626147808114, d.largestRadius(), 1e-9, "alpha^(1/n) at n = 1000 (scipy)");
    }
}
