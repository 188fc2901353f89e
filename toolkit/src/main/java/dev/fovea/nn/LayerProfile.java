package dev.fovea.nn;

import dev.fovea.tensor.Shape;

import java.util.Locale;

/**
 * Where the time of a pass goes, by kind of layer: while a profile is {@linkplain #start started}, every
 * {@link Sequential} adds the nanoseconds, floating-point operations and bytes of each leaf layer's forward and
 * backward pass to it (a folded convolution + batch norm + ReLU counts as its convolution, the sum of a
 * {@link Residual} block as element-wise). One profile at a time, for benchmarks: passes on other threads while it
 * runs are counted too.
 *
 * <p>Operations count 2 per multiply-add for convolutions and linear layers (their forward pass, and the input and
 * weight gradients each as much again when taken), and one per output element for every other layer (one per input
 * element backward). Bytes are what a layer must at least move: its input and output forward; the output gradient,
 * the input or output it reads and the input gradient backward, 4 bytes a float. They are lower bounds on the traffic
 * (a convolution rereads its input), so the achieved rates are what a step would need to reach to be bound there.
 * A flatten, which only reshapes, is not counted.
 */
public final class LayerProfile {
    /** The kinds a layer is counted under. */
    public enum Kind {
        DIRECT_CONV("direct conv"), STRIDED_CONV("strided conv"), POINTWISE_CONV("1x1 conv"), LINEAR("linear"), POOLING("pooling"),
        BATCH_NORM("batch norm"), ELEMENT_WISE("element-wise");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** How tables name it: {@code direct conv}, {@code 1x1 conv}, ... */
        public String label() {
            return label;
        }
    }

    private static volatile LayerProfile current;

    private final long[] nanos = new long[Kind.values().length];
    private final double[] flops = new double[Kind.values().length];
    private final double[] bytes = new double[Kind.values().length];
    private final long[] calls = new long[Kind.values().length];

    private LayerProfile() {
    }

    /** Starts a new profile, replacing any running one. */
    public static LayerProfile start() {
        LayerProfile p = new LayerProfile();
        current = p;
        return p;
    }

    /** Stops counting into {@code p} (if it is the running one). */
    public static void stop(LayerProfile p) {
        if (current == p) {
            current = null;
        }
    }

    /** The profile of {@code pass}: a new profile running while it runs, stopped after it, whatever it throws. */
    public static LayerProfile during(Runnable pass) {
        LayerProfile p = start();
        try {
            pass.run();
        } finally {
            stop(p);
        }
        return p;
    }

    /** The running profile, or {@code null}. */
    static LayerProfile current() {
        return current;
    }

    /** The kind {@code layer} counts under. */
    public static Kind kind(Layer layer) {
        if (layer instanceof Conv2d c) {
            return c.kernel() == 1 ? Kind.POINTWISE_CONV : c.stride() > 1 ? Kind.STRIDED_CONV : Kind.DIRECT_CONV;
        }
        if (layer instanceof ConvTranspose2d) {
            return Kind.DIRECT_CONV;
        }
        if (layer instanceof Linear) {
            return Kind.LINEAR;
        }
        if (layer instanceof MaxPool2d || layer instanceof AvgPool2d || layer instanceof GlobalAvgPool) {
            return Kind.POOLING;
        }
        if (layer instanceof BatchNorm) {
            return Kind.BATCH_NORM;
        }
        return Kind.ELEMENT_WISE;
    }

    /** A forward pass of {@code layer} from {@code in} to {@code out} in {@code ns} nanoseconds. */
    synchronized void forward(Layer layer, Shape in, Shape out, long ns) {
        if (layer instanceof Flatten) {
            return;
        }
        Kind k = kind(layer);
        long macs = layer.macs(in.tail().withBatch(1));
        double f = macs > 0 ? 2.0 * macs * in.dim(0) : out.size();
        add(k, ns, f, 4.0 * (in.size() + out.size()));
    }

    /**
     * A backward pass of {@code layer} (input {@code in}, output {@code out}) in {@code ns} nanoseconds, which took the
     * input gradient when {@code inputGradient} and the weight gradient when {@code weightGradient}.
     */
    synchronized void backward(Layer layer, Shape in, Shape out, boolean inputGradient, boolean weightGradient, long ns) {
        if (layer instanceof Flatten) {
            return;
        }
        Kind k = kind(layer);
        long macs = layer.macs(in.tail().withBatch(1));
        double f = macs > 0 ? 2.0 * macs * in.dim(0) * ((inputGradient ? 1 : 0) + (weightGradient ? 1 : 0)) : in.size();
        add(k, ns, f, 4.0 * (2.0 * out.size() + (inputGradient ? in.size() : 0)));
    }

    /** An element-wise pass over {@code elements} outputs reading {@code reads} arrays of that size, in {@code ns}. */
    synchronized void elementWise(long elements, int reads, long ns) {
        add(Kind.ELEMENT_WISE, ns, elements, 4.0 * elements * (reads + 1));
    }

    private void add(Kind k, long ns, double f, double b) {
        nanos[k.ordinal()] += ns;
        flops[k.ordinal()] += f;
        bytes[k.ordinal()] += b;
        calls[k.ordinal()]++;
    }

    /** Seconds spent in layers of kind {@code k}. */
    public synchronized double seconds(Kind k) {
        return nanos[k.ordinal()] / 1e9;
    }

    /** Seconds spent in all the layers counted. */
    public synchronized double seconds() {
        long t = 0;
        for (long n : nanos) {
            t += n;
        }
        return t / 1e9;
    }

    /** Floating-point operations of the layers of kind {@code k}. */
    public synchronized double flops(Kind k) {
        return flops[k.ordinal()];
    }

    /** Bytes the layers of kind {@code k} move at least. */
    public synchronized double bytes(Kind k) {
        return bytes[k.ordinal()];
    }

    /** How many passes of kind {@code k} were counted. */
    public synchronized long calls(Kind k) {
        return calls[k.ordinal()];
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        for (Kind k : Kind.values()) {
            if (calls[k.ordinal()] > 0) {
                s.append(String.format(Locale.ROOT, "%s: %.3f s, %.3g FLOP; ", k.label(), seconds(k), flops(k)));
            }
        }
        return s.toString();
    }
}
