package dev.fovea.nn;

import dev.fovea.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation-mode forward pass through a layer tree that records every leaf layer's input and output, and a
 * backward pass over it with a {@link BackwardRule} in place of the chain rule where the rule says so. Leaves run
 * one by one (no convolution-batch-norm folding, no taps), so every layer keeps the state of this pass for its own
 * backward. Containers: {@link Sequential} (in order) and {@link Residual} (body plus shortcut, the rule splitting the
 * signal); a layer with other children is refused. Rows of the batch stay apart in every layer, so a rule may pair
 * rows (DeepLift runs an input and its reference side by side). One backward per forward.
 */
public final class RulePass {
    private final Node root;

    private abstract static class Node {
        Tensor output;

        abstract Tensor backward(Tensor signal, BackwardRule rule);
    }

    /** The forward pass of {@code layer} on {@code x}, recorded. */
    public RulePass(Layer layer, Tensor x) {
        root = trace(layer, x);
    }

    /** The output of the recorded pass. */
    public Tensor output() {
        return root.output;
    }

    /** The signal at the input from {@code signal} at the output, by {@code rule}. */
    public Tensor backward(Tensor signal, BackwardRule rule) {
        if (!signal.shape().equals(root.output.shape())) {
            throw new IllegalArgumentException("rule pass: expected a signal " + root.output.shape() + ", got " + signal.shape());
        }
        return root.backward(signal, rule);
    }

    private static Node trace(Layer layer, Tensor x) {
        if (layer instanceof Sequential s) {
            List<Node> steps = new ArrayList<>();
            Tensor y = x;
            for (Layer l : s.layers()) {
                Node n = trace(l, y);
                steps.add(n);
                y = n.output;
            }
            Node node = new Node() {
                @Override
                Tensor backward(Tensor signal, BackwardRule rule) {
                    Tensor g = signal;
                    for (int i = steps.size() - 1; i >= 0; i--) {
                        g = steps.get(i).backward(g, rule);
                    }
                    return g;
                }
            };
            node.output = y;
            return node;
        }
        if (layer instanceof Residual r) {
            Node body = trace(r.body(), x);
            Node shortcut = trace(r.shortcut(), x);
            float[] sum = body.output.data().clone();
            float[] b = shortcut.output.data();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            Node node = new Node() {
                @Override
                Tensor backward(Tensor signal, BackwardRule rule) {
                    Tensor[] parts = rule.split(r, body.output, shortcut.output, signal);
                    float[] out = body.backward(parts[0], rule).data().clone();
                    float[] o = shortcut.backward(parts[1], rule).data();
                    for (int i = 0; i < out.length; i++) {
                        out[i] += o[i];
                    }
                    return new Tensor(x.shape(), out);
                }
            };
            node.output = new Tensor(body.output.shape(), sum);
            return node;
        }
        if (!layer.children().isEmpty()) {
            throw new IllegalArgumentException("rule pass: expected sequential, residual or leaf layers, got " + layer.type() + " with children");
        }
        Tensor y = layer.forward(x, false);
        Node node = new Node() {
            @Override
            Tensor backward(Tensor signal, BackwardRule rule) {
                Tensor in = rule.backward(layer, x, output, signal);
                return in != null ? in : layer.backward(signal);
            }
        };
        node.output = y;
        return node;
    }
}
