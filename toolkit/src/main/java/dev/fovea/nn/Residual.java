package dev.fovea.nn;

import dev.fovea.kernels.Elementwise;
import dev.fovea.kernels.Parallel;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A skip-add block {@code y = body(x) + shortcut(x)}, the shortcut being the identity when empty (He et al. 2016).
 * Children are named {@code body} and {@code shortcut}. The gradient flows into both branches and is summed.
 */
public final class Residual extends Layer {
    private final Sequential body;
    private final Sequential shortcut;

    public Residual(Sequential body, Sequential shortcut) {
        this.body = body;
        this.shortcut = shortcut;
    }

    public Sequential body() {
        return body;
    }

    public Sequential shortcut() {
        return shortcut;
    }

    @Override
    public String type() {
        return "residual";
    }

    @Override
    public Shape outputShape(Shape in) {
        Shape a = body.outputShape(in);
        Shape b = shortcut.outputShape(in);
        if (!a.equals(b)) {
            throw new ShapeException("residual: expected body and shortcut outputs of equal shape, got " + a + " and " + b);
        }
        return a;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forward(x, training, null);
    }

    /**
     * {@code relu(body(x) + shortcut(x))} in one pass over the sum when {@code relu} is not {@code null} (the ReLU that
     * follows the block, which {@link Sequential} then skips): the same values as the two layers one after the other,
     * one array less written and read. {@link #backwardRelu} is its backward pass.
     */
    Tensor forward(Tensor x, boolean training, Activation.ReLU relu) {
        if (body.endsFolded(training)) {
            // evaluation: the shortcut first, then added (and the ReLU taken) in the body's last folded pass
            Tensor b = shortcut.tapForward(shortcut.forward(x, training));
            float[] out = (relu != null ? relu : this).outputArray(b.data().length);
            Tensor y = body.forwardAdding(x, b, relu != null, out);
            reluOutput = relu != null ? out : null;
            return y;
        }
        Tensor a = body.tapForward(body.forward(x, training));
        Tensor b = shortcut.tapForward(shortcut.forward(x, training));
        if (!a.shape().equals(b.shape())) {
            throw new ShapeException("residual: expected body and shortcut outputs of equal shape, got " + a.shape() + " and " + b.shape());
        }
        LayerProfile profile = LayerProfile.current();
        long t0 = profile == null ? 0 : System.nanoTime();
        float[] ad = a.data();
        float[] bd = b.data();
        float[] out = (relu != null ? relu : this).outputArray(ad.length);
        boolean fused = relu != null;
        Parallel.forRange(out.length, 1 << 15, (from, to) -> Elementwise.sum2(ad, bd, fused, out, from, to));
        if (profile != null) {
            profile.elementWise(out.length, 2, System.nanoTime() - t0);
        }
        reluOutput = fused ? out : null;
        return new Tensor(a.shape(), out);
    }

    /** The output of the last {@link #forward(Tensor, boolean, Activation.ReLU)} with a ReLU, for its mask. */
    private float[] reluOutput;

    /** The backward pass of {@code relu(body(x) + shortcut(x))}: the gradient masked where the sum was positive, then as {@link #backward}. */
    Tensor backwardRelu(Tensor gradOut) {
        if (reluOutput == null) {
            throw new IllegalStateException("residual: backwardRelu needs a forward pass with its ReLU first");
        }
        float[] y = reluOutput;
        reluOutput = null;
        float[] g = gradOut.data();
        float[] masked = scratchArray(0, g.length);
        Parallel.forRange(g.length, 1 << 15, (from, to) -> Elementwise.reluBackward(y, g, masked, from, to));
        return backward(new Tensor(gradOut.shape(), masked));
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor ga = body.backward(body.tapBackward(gradOut));
        Tensor gb = shortcut.backward(shortcut.tapBackward(gradOut));
        LayerProfile profile = LayerProfile.current();
        long t0 = profile == null ? 0 : System.nanoTime();
        float[] ad = ga.data();
        float[] bd = gb.data();
        float[] out = inputGradientArray(ad.length);
        Parallel.forRange(out.length, 1 << 15, (from, to) -> Elementwise.sum2(ad, bd, false, out, from, to));
        if (profile != null) {
            profile.elementWise(out.length, 2, System.nanoTime() - t0);
        }
        return new Tensor(ga.shape(), out);
    }

    @Override
    public List<Child> children() {
        List<Child> c = new ArrayList<>();
        c.add(new Child("body", body));
        if (!shortcut.layers().isEmpty()) {
            c.add(new Child("shortcut", shortcut));
        }
        return c;
    }

    @Override
    public long macs(Shape in) {
        return body.macs(in) + shortcut.macs(in);
    }
}
