package dev.fovea.audit.run;

import dev.fovea.image.corrupt.Corruption;
import dev.fovea.image.corrupt.Family;
import dev.fovea.image.corrupt.Suite;

import java.util.random.RandomGenerator;

/** Corruptions for tests: one that changes nothing, and one of a chosen suite and family that darkens by a severity step. */
public final class FakeCorruptions {
    private FakeCorruptions() {
    }

    /** Returns every image as it is, at every severity. */
    public static final class Identity extends Corruption<Identity.Params> {
        public record Params(int unused) {
        }

        @Override
        public String name() {
            return "test-identity";
        }

        @Override
        public Family family() {
            return Family.DIGITAL;
        }

        @Override
        public Suite suite() {
            return Suite.BENCHMARK;
        }

        @Override
        public String describe() {
            return "changes nothing (tests)";
        }

        @Override
        public boolean random() {
            return false;
        }

        @Override
        public Params parameters(int severity, int height, int width) {
            return new Params(severity);
        }

        @Override
        public Params identity() {
            return new Params(0);
        }

        @Override
        protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
            System.arraycopy(src, 0, dst, 0, src.length);
        }
    }

    /** Multiplies every pixel by {@code 1 - severity / 6}, in a chosen suite and family; optionally ungraded or colour-only. */
    public static final class Dim extends Corruption<Dim.Params> {
        public record Params(double factor) {
        }

        private final String name;
        private final Suite suite;
        private final Family family;
        private final boolean graded;
        private final boolean colourOnly;

        public Dim(String name, Suite suite, Family family, boolean graded, boolean colourOnly) {
            this.name = name;
            this.suite = suite;
            this.family = family;
            this.graded = graded;
            this.colourOnly = colourOnly;
        }

        public Dim(String name, Suite suite) {
            this(name, suite, Family.DIGITAL, true, false);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Family family() {
            return family;
        }

        @Override
        public Suite suite() {
            return suite;
        }

        @Override
        public String describe() {
            return "darkens by a sixth per severity (tests)";
        }

        @Override
        public boolean random() {
            return false;
        }

        @Override
        public boolean graded() {
            return graded;
        }

        @Override
        public boolean colourOnly() {
            return colourOnly;
        }

        @Override
        public Params parameters(int severity, int height, int width) {
            return new Params(graded ? 1 - severity / 6.0 : 0.5);
        }

        @Override
        public Params identity() {
            return new Params(1);
        }

        @Override
        protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
            for (int i = 0; i < src.length; i++) {
                dst[i] = (float) (src[i] * p.factor());
            }
        }
    }
}
