package dev.fovea.nn;

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
        Tensor a = body.tapForward(body.forward(x, training));
        Tensor b = shortcut.tapForward(shortcut.forward(x, training));
        if (!a.shape().equals(b.shape())) {
            throw new ShapeException("residual: expected body and shortcut outputs of equal shape, got " + a.shape() + " and " + b.shape());
        }
        LayerProfile profile = LayerProfile.current();
        long t0 = profile == null ? 0 : System.nanoTime();
        float[] out = a.data().clone();
        float[] bd = b.data();
        for (int i = 0; i < out.length; i++) {
            out[i] += bd[i];
        }
        if (profile != null) {
            profile.elementWise(out.length, 2, System.nanoTime() - t0);
        }
        return new Tensor(a.shape(), out);
    }

    @Override
    public Tensor backward(Tensor gradOut) {
        Tensor ga = body.backward(body.tapBackward(gradOut));
        Tensor gb = shortcut.backward(shortcut.tapBackward(gradOut));
        LayerProfile profile = LayerProfile.current();
        long t0 = profile == null ? 0 : System.nanoTime();
        float[] out = ga.data().clone();
        float[] gd = gb.data();
        for (int i = 0; i < out.length; i++) {
            out[i] += gd[i];
        }
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
