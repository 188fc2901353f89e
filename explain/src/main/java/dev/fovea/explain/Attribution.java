package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

/**
 * An attribution method in the spirit of Captum's {@code attribute}: stateless, configured per call.
 * {@link #attribute} is the template every method goes through: it checks the input against the model, the targets
 * against its classes, hands the method a copy (the caller's tensor is never changed), and checks the shape of
 * what comes back. Every method works on any {@link Classifier}, in internal chunks of {@link ExplainConfig#batch}
 * model rows (memory stays bounded, results do not depend on the chunk size), and draws every random number from
 * {@link ExplainConfig#seed}.
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

    /** The method's work on {@code x}, a copy it may change, with checked targets. */
    protected abstract AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg);

    /**
     * Attributions of the score of class {@code targets[i]} to sample {@code i} of {@code x} {@code [N,C,H,W]}
     * (pixels in the model's bounds).
     */
    public final AttributionResult attribute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        Shape in = model.inputShape();
        if (x.shape().rank() != 4 || !x.shape().tail().equals(in)) {
            throw new ShapeException(name() + ": expected images [N," + in.dim(0) + "," + in.dim(1) + "," + in.dim(2) + "], got " + x.shape());
        }
        if (targets.length != x.dim(0)) {
            throw new IllegalArgumentException(name() + ": expected " + x.dim(0) + " targets, got " + targets.length);
        }
        for (int t : targets) {
            if (t < 0 || t >= model.classes()) {
                throw new IllegalArgumentException(name() + ": expected target classes in [0," + model.classes() + "), got " + t);
            }
        }
        AttributionResult r = compute(model, x.copy(), targets.clone(), cfg);
        Shape want = kind().shape(x.shape());
        if (!r.maps().shape().equals(want)) {
            throw new IllegalStateException(name() + ": expected maps " + want + ", got " + r.maps().shape());
        }
        return r;
    }

    @Override
    public String toString() {
        return name();
    }
}
