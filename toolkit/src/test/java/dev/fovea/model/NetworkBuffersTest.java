package dev.fovea.model;

import dev.fovea.loss.SoftmaxCrossEntropy;
import dev.fovea.nn.Param;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network's inner layers reuse their arrays from pass to pass: what the network hands out (logits, pixel
 * gradients) is never overwritten by a later pass, and a steady-state step allocates next to nothing.
 */
class NetworkBuffersTest {
    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private static Network convnet() {
        return Network.create(Architecture.named("convnet"), Shape.of(1, 28, 28), CLASSES, new float[] {0.3f},
                new float[] {0.35f}, 11);
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    @Test
    void logitsAndPixelGradientsSurviveLaterPasses() {
        Network net = convnet();
        Tensor a = Tensor.uniform(Shape.of(4, 1, 28, 28), 0, 1, 1);
        Tensor b = Tensor.uniform(Shape.of(4, 1, 28, 28), 0, 1, 2);
        int[] y = labels(4);
        Tensor za = net.forward(a, false);
        Tensor ga = net.backward(SoftmaxCrossEntropy.compute(za, y).gradient());
        float[] zaBits = za.data().clone();
        float[] gaBits = ga.data().clone();
        Tensor zb = net.forward(b, false);
        net.backward(SoftmaxCrossEntropy.compute(zb, y).gradient());
        assertArrayEquals(zaBits, za.data(), "logits of the first pass after a second pass");
        assertArrayEquals(gaBits, ga.data(), "pixel gradient of the first pass after a second pass");
        // and the first input again gives the first answers: no state leaks from the second pass
        assertArrayEquals(zaBits, net.forward(a, false).data(), "logits of the first input, computed again");
    }

    @Test
    void layersCalledDirectlyGetFreshArrays() {
        Network net = convnet();
        net.forward(Tensor.uniform(Shape.of(2, 1, 28, 28), 0, 1, 3), false);
        var first = net.root().layers().get(0);
        Tensor x = Tensor.uniform(Shape.of(2, 1, 28, 28), 0, 1, 4);
        Tensor y1 = first.forward(x, false);
        Tensor y2 = first.forward(x, false);
        assertTrue(y1.data() != y2.data(), "two direct calls to a layer must not share an output array");
    }

    /** Ids of this thread and of the engine's worker threads, the threads a pass runs on. */
    private static long[] passThreads() {
        List<Long> ids = new java.util.ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("fovea-worker-")) {
                ids.add(t.getId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /** Bytes allocated so far by the given threads. */
    private static long allocatedBytes(long[] threads) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long b : mx.getThreadAllocatedBytes(threads)) {
            total += Math.max(0, b);
        }
        return total;
    }

    @Test
    void steadyStateStepsAllocateLittle() {
        Network net = convnet();
        Tensor x = Tensor.uniform(Shape.of(16, 1, 28, 28), 0, 1, 5);
        int[] y = labels(16);
        Runnable inputGradient = () -> {
            Tensor z = net.forward(x, false);
            net.backward(SoftmaxCrossEntropy.compute(z, y).gradient());
        };
        Runnable train = () -> {
            for (Param p : net.params()) {
                java.util.Arrays.fill(p.grad().data(), 0f);
            }
            Tensor z = net.forward(x, true);
            net.backwardParams(SoftmaxCrossEntropy.compute(z, y).gradient());
        };
        // the activations of one pass: what a step would allocate without reuse, several times over
        long activations = 4L * 16 * (4 * 32 * 28 * 28 + 4 * 64 * 14 * 14);
        for (Runnable step : List.of(inputGradient, train)) {
            String name = step == train ? "training step" : "input-gradient step";
            for (int i = 0; i < 5; i++) {
                step.run();
            }
            // the quietest of some windows of steps: until the JIT has compiled the vector kernels, their
            // interpreted forms box every vector, which is not the steps' own allocation (a busy machine compiles late:
            // up to 40 windows; a step that allocates its activations fails in all of them)
            long perStep = Long.MAX_VALUE;
            for (int window = 0; window < 40 && perStep >= activations / 20; window++) {
                long[] threads = passThreads();
                long before = allocatedBytes(threads);
                int steps = 5;
                for (int i = 0; i < steps; i++) {
                    step.run();
                }
                perStep = Math.min(perStep, (allocatedBytes(threads) - before) / steps);
            }
            assertTrue(perStep < activations / 20, "a steady-state " + name + " allocated " + perStep + " bytes; one pass's activations are "
                    + activations + " bytes; threads " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
        }
    }
}
