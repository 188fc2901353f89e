package dev.fovea.cli;

import dev.fovea.attacks.Attack;
import dev.fovea.attacks.AttackConfig;
import dev.fovea.attacks.AttackOptions;
import dev.fovea.attacks.Norm;
import dev.fovea.attacks.Target;
import dev.fovea.explain.Attribution;
import dev.fovea.explain.AttributionOptions;
import dev.fovea.explain.AttributionResult;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Methods the registries know nothing else about, for the tests that register one at run time. */
final class FakeMethods {
    private FakeMethods() {
    }

    /** Adds {@code scale * eps} to every pixel (scale 1 by default): a black-box L-inf attack of one query with an option of its own. */
    static final class Brighten extends Attack {
        record Options(double scale) implements AttackOptions {
            Options {
                if (!(scale >= 0 && scale <= 1)) {
                    throw new InvalidOptionException("scale", "scale must be in [0,1], got " + scale);
                }
            }
        }

        private final String name;
        private final String description;

        Brighten(String name, String description) {
            this.name = name;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public boolean whiteBox() {
            return false;
        }

        @Override
        public Norm defaultNorm() {
            return Norm.LINF;
        }

        @Override
        public Set<Norm> norms() {
            return EnumSet.of(Norm.LINF);
        }

        @Override
        public AttackConfig defaults(Norm norm, double eps) {
            return new AttackConfig(norm, eps, 1, eps > 0 ? eps : 1e-3, 1, false, Target.UNTARGETED, AttackConfig.DEFAULT_SEED);
        }

        @Override
        public List<OptionInfo> options() {
            return List.of(OptionInfo.of("eps", "double", null, "the largest brightening"));
        }

        @Override
        public AttackOptions defaultOptions() {
            return new Options(1);
        }

        @Override
        public List<OptionInfo> optionInfo() {
            return List.of(OptionInfo.of("scale", "double", 1.0, "fraction of eps added"));
        }

        @Override
        protected AttackOptions parse(OptionValues v) {
            return new Options(v.real("scale", 1));
        }

        @Override
        protected Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
            float add = (float) (((Options) resolve(cfg.options())).scale() * cfg.eps());
            float[] d = x.data();
            for (int i = 0; i < d.length; i++) {
                d[i] += add;
            }
            return x;
        }
    }

    /** The input times {@code gain} (1 by default) as its own map: an attribution method with an option of its own. */
    static final class Gain extends Attribution {
        record Options(double gain) implements AttributionOptions {
        }

        private final String name;
        private final String description;

        Gain(String name, String description) {
            this.name = name;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public boolean signed() {
            return false;
        }

        @Override
        public Kind kind() {
            return Kind.INPUT;
        }

        @Override
        public AttributionOptions defaultOptions() {
            return new Options(1);
        }

        @Override
        public List<OptionInfo> optionInfo() {
            return List.of(OptionInfo.of("gain", "double", 1.0, "factor of the input"));
        }

        @Override
        protected AttributionOptions parse(OptionValues v) {
            return new Options(v.real("gain", 1));
        }

        @Override
        protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
            float g = (float) ((Options) cfg.options()).gain();
            Tensor out = x.copy();
            for (int i = 0; i < out.size(); i++) {
                out.data()[i] *= g;
            }
            return new AttributionResult(out, new double[x.dim(0)], null, null);
        }
    }
}
