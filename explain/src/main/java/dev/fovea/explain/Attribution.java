package dev.fovea.explain;

import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An attribution method in the spirit of Captum's {@code attribute}: stateless, configured per call, owning its
 * options. {@link #attribute} is the template every method goes through: it checks the input against the model,
 * the targets against its classes and the options against both ({@link #resolve}), hands the method a copy (the
 * caller's tensor is never changed), and checks the shape of what comes back. Every method works on any
 * {@link Classifier}, in internal chunks of {@link ExplainConfig#batchSize} model rows (memory stays bounded,
 * results do not depend on the chunk size), and draws every random number from {@link ExplainConfig#seed}.
 *
 * <p>Options: each method has a record of its own ({@link #defaultOptions()}), describes it
 * ({@link #optionInfo()}) and builds it from named values ({@link #options(Map)}), so that front ends, audit plans
 * and batch specs are driven by the registry ({@link Explainers}). Invalid values are
 * {@link dev.fovea.method.InvalidOptionException}s naming the option.
 */
public abstract class Attribution {
    /** The shape of the maps for input {@code [N,C,H,W]}. */
    public enum Kind {
        /** One value per input value, {@code [N,C,H,W]}. */
        INPUT,
        /** One value per pixel at the input's resolution, {@code [N,1,H,W]} (channels reduced). */
        PIXEL,
        /** A layer's spatial map reduced over channels and upsampled to the input's size, {@code [N,1,H,W]}. */
        LAYER;

        public Shape shape(Shape input) {
            return this == INPUT ? input : Shape.of(input.dim(0), 1, input.dim(2), input.dim(3));
        }
    }

    /** Short name, as on the command line ({@code integrated-gradients}). */
    public abstract String name();

    /** One line for {@code fovea explain --list}: the paper, what the map shows, whether it is signed. */
    public abstract String describe();

    /** Whether the maps take both signs (drawn with a diverging colour map) or are magnitudes. */
    public abstract boolean signed();

    public abstract Kind kind();

    /**
     * Whether the method evaluates many model rows per sample (noisy copies, points on a path, occluded copies)
     * rather than about one: a caller showing progress moves it one sample at a time.
     */
    public boolean manyRowsPerSample() {
        return false;
    }

    /**
     * Why the method cannot run on {@code model} (say, it needs per-layer backward rules that only the own engine
     * takes), or {@code null} when it can; a caller running several methods leaves such a one out with this reason.
     */
    public String unavailableFor(dev.fovea.model.Classifier model) {
        return null;
    }

    /** The method's options at their defaults; {@link AttributionOptions#NONE} for a method without options. */
    public AttributionOptions defaultOptions() {
        return AttributionOptions.NONE;
    }

    /** The method's options, by their library names, with types, defaults and meaning. */
    public List<OptionInfo> optionInfo() {
        return List.of();
    }

    /**
     * Of the options {@code given} by a caller, by library name (any method's, as a front end that offers them all
     * has them), those this method will not read with {@code options}, each with the reason in a few words: one it
     * does not have ({@code "not an option of saliency"}), or one that its other options leave unread (Integrated
     * Gradients' {@code baselineImage} unless {@code baseline} is {@code image}). Nothing is refused: a front end
     * warns about them.
     */
    public Map<String, String> unused(Collection<String> given, AttributionOptions options) {
        Set<String> mine = new HashSet<>();
        optionInfo().forEach(o -> mine.add(o.name()));
        Map<String, String> out = new LinkedHashMap<>();
        for (String g : given) {
            if (!mine.contains(g)) {
                out.put(g, "not an option of " + name());
            }
        }
        return out;
    }

    /** {@link #options(Map, Map)} without tensor-valued options. */
    public final AttributionOptions options(Map<String, String> values) {
        return options(values, Map.of());
    }

    /**
     * The method's options from named values: text for the options {@link #optionInfo()} lists with a text type,
     * tensors for those of type {@code tensor}; absent names take the defaults. A name the method does not have,
     * a value that does not parse or one out of range is a {@link dev.fovea.method.InvalidOptionException} naming
     * the option.
     */
    public final AttributionOptions options(Map<String, String> values, Map<String, Tensor> tensors) {
        return parse(new OptionValues(name(), optionInfo(), values, tensors));
    }

    /** The options record from {@code values}, already checked against {@link #optionInfo()}. */
    protected AttributionOptions parse(OptionValues values) {
        return defaultOptions();
    }

    /**
     * {@code options} checked against the model and an input batch {@code x} {@code [N,C,H,W]} (occlusion's window
     * within the image, Grad-CAM's layer among the model's spatial layers, a baseline image of the input's shape),
     * with what the method leaves to the model chosen (Grad-CAM's default layer). {@link #attribute} does this on
     * every call; a caller may do it first, to fail before any work, or to fix a choice for every chunk of a batch.
     */
    public final AttributionOptions resolve(Classifier model, Tensor x, AttributionOptions options) {
        checkInput(model, x);
        Class<?> want = defaultOptions().getClass();
        if (options == null || !want.isInstance(options)) {
            throw new IllegalArgumentException(name() + ": expected options " + want.getSimpleName() + ", got "
                    + (options == null ? "none" : options.getClass().getSimpleName()));
        }
        return validate(model, x, options);
    }

    /** The method's checks of {@code options} (of its own type) against the model and {@code x}; see {@link #resolve}. */
    protected AttributionOptions validate(Classifier model, Tensor x, AttributionOptions options) {
        return options;
    }

    /** The method's work on {@code x}, a copy it may change, with checked targets and options resolved for it. */
    protected abstract AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg);

    /**
     * Attributions of the score of class {@code targets[i]} to sample {@code i} of {@code x} {@code [N,C,H,W]}
     * (pixels in the model's bounds), with this method's options in {@code cfg}.
     */
    public final AttributionResult attribute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        checkInput(model, x);
        if (targets.length != x.dim(0)) {
            throw new IllegalArgumentException(name() + ": expected " + x.dim(0) + " targets, got " + targets.length);
        }
        for (int t : targets) {
            if (t < 0 || t >= model.classes()) {
                throw new IllegalArgumentException(name() + ": expected target classes in [0," + model.classes() + "), got " + t);
            }
        }
        AttributionOptions options = resolve(model, x, cfg.options());
        AttributionResult r = compute(model, x.copy(), targets.clone(), cfg.withOptions(options));
        Shape want = kind().shape(x.shape());
        if (!r.maps().shape().equals(want)) {
            throw new IllegalStateException(name() + ": expected maps " + want + ", got " + r.maps().shape());
        }
        return r;
    }

    private void checkInput(Classifier model, Tensor x) {
        Shape in = model.inputShape();
        if (x.shape().rank() != 4 || !x.shape().tail().equals(in)) {
            throw new ShapeException(name() + ": expected images [N," + in.dim(0) + "," + in.dim(1) + "," + in.dim(2) + "], got " + x.shape());
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
