package dev.fovea.cli;

import dev.fovea.audit.AuditPlan;

import dev.fovea.attacks.Norm;
import dev.fovea.audit.report.CorruptionExport;
import dev.fovea.explain.ExplainConfig;
import dev.fovea.explain.IntegratedGradients;
import dev.fovea.explain.Lime;
import dev.fovea.explain.Superpixels;
import dev.fovea.explain.plane.ToySet;
import dev.fovea.explain.trust.DeletionCurve;
import dev.fovea.explain.visualize.Parameterization;
import dev.fovea.image.Resize;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.model.Architecture;
import dev.fovea.model.Device;
import dev.fovea.optim.Optimizer;
import dev.fovea.optim.Schedule;
import dev.fovea.train.Augmentation;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Closed sets as picocli types: an enum option accepts its constants spelled as users write them ({@code linf},
 * {@code gauss-legendre}; case and {@code -}/{@code _} ignored), lists them in {@code --help} through
 * {@code completionCandidates} (an {@link Of} below) and {@code ${COMPLETION-CANDIDATES}}, and a wrong value is one
 * line naming the flag and every choice. {@link #registerAll} registers the converter of every closed set an option
 * of fovea takes. A registry's names (attacks, attribution methods, corruptions) are a closed set of an option the
 * same way ({@link Names}: listed in {@code --help}, checked when the command line is parsed).
 */
final class Choices {
    /** The closed sets read by the generic converter; {@link Norm} and {@link ToySet} are read by their own parsers. */
    static final List<Class<? extends Enum<?>>> ENUMS = List.of(IntegratedGradients.Rule.class, IntegratedGradients.Baseline.class,
            ExplainConfig.Score.class, Superpixels.Segmentation.class, Lime.Surrogate.class, DeletionCurve.Canvas.class, ExplainDeletionCommand.Curves.class, dev.fovea.audit.run.ExplainRobustnessRun.Kind.class, Parameterization.class,
            Optimizer.Kind.class, Schedule.class, Device.class, CorruptionExport.Layout.class, AuditPlan.Profile.class,
            Resize.class);

    private Choices() {
    }

    /** A value outside the set; its message follows the flag's name ({@code ": expected one of ..."}), which {@link Failures} puts before it. */
    static final class Wrong extends CommandLine.TypeConversionException {
        Wrong(String message) {
            super(message);
        }
    }

    /** The norm as {@link Norm#parse} reads it ({@code linf}, {@code l-inf}, {@code inf}, {@code l2}, {@code l0}). */
    static Norm norm(String value) {
        return library(Norm::parse, "norm", value);
    }

    /** The toy data set as {@link ToySet#parse} reads it ({@code moons}, {@code spirals}; case ignored). */
    static ToySet toySet(String value) {
        return library(v -> ToySet.parse(v.trim().toLowerCase(Locale.ROOT)), "toy data", value);
    }

    /** The augmentation spec as {@link Augmentation#parse} reads it ({@code flip,translate:2,rotate:15}). */
    static Augmentation augmentation(String value) {
        return library(Augmentation::parse, "augment", value);
    }

    /**
     * {@code value} read by a library parser; its message, less the library's leading {@code where}, becomes the
     * message that follows the flag's name.
     */
    private static <T> T library(Function<String, T> parse, String where, String value) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new Wrong(m.startsWith(where) ? m.substring(where.length()) : ": " + m);
        }
    }

    /** The converter of enum {@code type}. */
    static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> type) {
        return value -> {
            try {
                return OptionInfo.parse(type, "value", value);
            } catch (InvalidOptionException e) {
                throw new Wrong(e.getMessage().substring("value".length()));
            }
        };
    }

    /** Registers the converters of fovea's closed sets on {@code cl} and its subcommands. */
    static void registerAll(CommandLine cl) {
        cl.registerConverter(Norm.class, Choices::norm);
        cl.registerConverter(ToySet.class, Choices::toySet);
        cl.registerConverter(Augmentation.class, Choices::augmentation);
        ENUMS.forEach(t -> registerOne(cl, t));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void registerOne(CommandLine cl, Class t) {
        cl.registerConverter(t, converter(t));
    }

    /** The spellings of {@code type}'s constants, for {@code completionCandidates}. */
    abstract static class Of<E extends Enum<E>> implements Iterable<String> {
        private final Class<E> type;

        Of(Class<E> type) {
            this.type = type;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(type.getEnumConstants()).map(OptionInfo::spelling).iterator();
        }
    }

    static final class Rules extends Of<IntegratedGradients.Rule> {
        Rules() {
            super(IntegratedGradients.Rule.class);
        }
    }

    static final class Segmentations extends Of<Superpixels.Segmentation> {
        Segmentations() {
            super(Superpixels.Segmentation.class);
        }
    }

    static final class Perturbations extends Of<dev.fovea.audit.run.ExplainRobustnessRun.Kind> {
        Perturbations() {
            super(dev.fovea.audit.run.ExplainRobustnessRun.Kind.class);
        }
    }

    static final class Surrogates extends Of<Lime.Surrogate> {
        Surrogates() {
            super(Lime.Surrogate.class);
        }
    }

    static final class Baselines extends Of<IntegratedGradients.Baseline> {
        Baselines() {
            super(IntegratedGradients.Baseline.class);
        }
    }

    static final class Scores extends Of<ExplainConfig.Score> {
        Scores() {
            super(ExplainConfig.Score.class);
        }
    }

    static final class Canvases extends Of<DeletionCurve.Canvas> {
        Canvases() {
            super(DeletionCurve.Canvas.class);
        }
    }

    static final class Curves extends Of<ExplainDeletionCommand.Curves> {
        Curves() {
            super(ExplainDeletionCommand.Curves.class);
        }
    }

    static final class Parameterizations extends Of<Parameterization> {
        Parameterizations() {
            super(Parameterization.class);
        }
    }

    static final class Optimizers extends Of<Optimizer.Kind> {
        Optimizers() {
            super(Optimizer.Kind.class);
        }
    }

    static final class Schedules extends Of<Schedule> {
        Schedules() {
            super(Schedule.class);
        }
    }

    static final class Devices extends Of<Device> {
        Devices() {
            super(Device.class);
        }
    }

    static final class Layouts extends Of<CorruptionExport.Layout> {
        Layouts() {
            super(CorruptionExport.Layout.class);
        }
    }

    static final class Profiles extends Of<AuditPlan.Profile> {
        Profiles() {
            super(AuditPlan.Profile.class);
        }
    }

    static final class Resizes extends Of<Resize> {
        Resizes() {
            super(Resize.class);
        }
    }

    static final class Norms extends Of<Norm> {
        Norms() {
            super(Norm.class);
        }
    }

    static final class ToySets extends Of<ToySet> {
        ToySets() {
            super(ToySet.class);
        }
    }

    /** The names {@code --augment} takes ({@link Augmentation.Op#names}). */
    static final class AugmentOps implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Augmentation.Op.names().iterator();
        }
    }

    /**
     * A registry's names as a closed set of an option: listed in {@code --help} ({@code ${COMPLETION-CANDIDATES}})
     * and checked when the command line is parsed (case ignored), a wrong one refused naming every choice, before
     * any model is opened.
     */
    abstract static class Names implements Iterable<String>, CommandLine.ITypeConverter<String> {
        /** The names, read from the registry when asked (a method registered later is among them). */
        abstract List<String> names();

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }

        @Override
        public String convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (!names().contains(v)) {
                throw new Wrong(": expected one of " + String.join(", ", names()) + ", got '" + value + "'");
            }
            return v;
        }
    }

    /** The registered attacks ({@link dev.fovea.attacks.Attacks#names}). */
    static final class AttackNames extends Names {
        @Override
        List<String> names() {
            return dev.fovea.attacks.Attacks.names();
        }
    }

    /** The registered white-box attacks: those adversarial training can run on the fly. */
    static final class WhiteBoxAttacks extends Names {
        @Override
        List<String> names() {
            return dev.fovea.attacks.Attacks.all().stream().filter(dev.fovea.attacks.Attack::whiteBox).map(dev.fovea.attacks.Attack::name).toList();
        }
    }

    /** The registered attacks that work in l2: those certify runs beside the L2 certificate. */
    static final class L2Attacks extends Names {
        @Override
        List<String> names() {
            return dev.fovea.attacks.Attacks.all().stream().filter(a -> a.norms().contains(Norm.L2)).map(dev.fovea.attacks.Attack::name).toList();
        }
    }

    /** The registered attacks that search within an l-inf budget (not for a minimal perturbation): explain robustness's. */
    static final class LinfBudgetAttacks extends Names {
        @Override
        List<String> names() {
            return dev.fovea.attacks.Attacks.all().stream().filter(a -> a.norms().contains(Norm.LINF) && !a.minimumNorm())
                    .map(dev.fovea.attacks.Attack::name).toList();
        }
    }

    /** The registered attribution methods ({@link dev.fovea.explain.Explainers#names}). */
    static final class Attributions extends Names {
        @Override
        List<String> names() {
            return dev.fovea.explain.Explainers.names();
        }
    }

    /** The registered corruptions ({@link dev.fovea.image.corrupt.Corruptions#names}). */
    static final class CorruptionNames extends Names {
        @Override
        List<String> names() {
            return dev.fovea.image.corrupt.Corruptions.names();
        }
    }

    /** The built-in architectures ({@link Architecture#NAMES}): a closed set of names, not an enum. */
    static final class Architectures implements Iterable<String>, CommandLine.ITypeConverter<String> {
        @Override
        public Iterator<String> iterator() {
            return Architecture.NAMES.iterator();
        }

        @Override
        public String convert(String value) {
            if (!Architecture.NAMES.contains(value)) {
                throw new Wrong(": expected one of " + String.join(", ", Architecture.NAMES) + ", got '" + value + "'");
            }
            return value;
        }
    }
}
