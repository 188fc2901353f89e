package dev.fovea.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fovea.threads} is read once per JVM, so this runs the same products, element-wise kernels and network
 * passes in child JVMs with 1 and 3 threads and compares a hash of the result bits with this JVM's. The children run without the Vector API module, so they
 * also check that the scalar micro-kernel gives the same bits as the vector one (which this JVM runs when its
 * module is present); one more child runs the vector kernel on one thread.
 */
class GemmThreadCountTest {
    /** Entry point of the child JVM: prints the thread count and the hash of the products' bits. */
    public static void main(String[] args) {
        System.out.println(Parallel.threads() + " " + Gemm.vectorized() + " " + fingerprint());
    }

    /** Several large products, every transpose combination, hashed over the exact bits. */
    static int fingerprint() {
        int h = 1;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            int m = 150, n = 600, k = 300;
            SplittableRandom r = new SplittableRandom(t);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (float[] arr : List.of(a, b, c)) {
                for (int i = 0; i < arr.length; i++) {
                    arr[i] = (float) (2 * r.nextDouble() - 1);
                }
            }
            Gemm.gemm(ta, tb, m, n, k, 0.5f, a, 0, ta ? m : k, b, 0, tb ? k : n, -2f, c, 0, n);
            h = 31 * h + Arrays.hashCode(c);
        }
        h = 31 * h + elementwise();
        h = 31 * h + network();
        return h;
    }

    /** Element-wise kernels and reductions over runs whose lengths leave every kind of tail. */
    static int elementwise() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[1000];
        float[] g = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
            g[i] = (float) (2 * r.nextDouble() - 1);
        }
        float[] out = new float[1000];
        Elementwise.relu(x, out, 3, 997);
        int h = Arrays.hashCode(out);
        Elementwise.reluBackward(x, g, out, 1, 999);
        h = 31 * h + Arrays.hashCode(out);
        float[] wide = new float[1000];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = 12 * x[i];
        }
        Elementwise.tanh(wide, out, 3, 997);
        h = 31 * h + Arrays.hashCode(out);
        double[] sums = new double[2];
        for (int len : new int[] {1, 7, 16, 37, 100}) {
            h = 31 * h + Double.hashCode(Elementwise.sum(x, 5, len + 3, 4, len));
            h = 31 * h + Double.hashCode(Elementwise.sumSquaredDeviations(x, 5, len + 3, 4, len, 0.25f));
            Elementwise.sumAndDot(g, x, 2, len, 5, len, sums);
            h = 31 * h + Arrays.hashCode(sums);
        }
        Elementwise.normalize(x, 3, 101, 0.1f, 1.7f, 0.9f, -0.2f, g, out);
        h = 31 * h + Arrays.hashCode(out) + 7 * Arrays.hashCode(g);
        Elementwise.normalizeBackward(x, g, 3, 101, 1.3f, 0.1f, -0.4f, out);
        h = 31 * h + Arrays.hashCode(out);
        return h;
    }

    /**
     * A training step of the convnet architecture (batch 20, so its slices are uneven) and an input-gradient step
     * in evaluation mode: every parameter gradient and the pixel gradient, hashed.
     */
    static int network() {
        dev.fovea.model.Network net = dev.fovea.model.Network.create(dev.fovea.model.Architecture.named("convnet"),
                dev.fovea.tensor.Shape.of(1, 28, 28), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                new float[] {0.3f}, new float[] {0.35f}, 3);
        dev.fovea.tensor.Tensor x = dev.fovea.tensor.Tensor.uniform(dev.fovea.tensor.Shape.of(20, 1, 28, 28), 0, 1, 5);
        int[] y = new int[20];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        net.zeroGrad();
        dev.fovea.tensor.Tensor z = net.forward(x, true);
        net.backwardParams(dev.fovea.loss.SoftmaxCrossEntropy.compute(z, y).gradient());
        int h = Arrays.hashCode(z.data());
        for (dev.fovea.nn.Param p : net.params()) {
            h = 31 * h + Arrays.hashCode(p.grad().data());
        }
        z = net.forward(x, false);
        h = 31 * h + Arrays.hashCode(net.backward(dev.fovea.loss.SoftmaxCrossEntropy.compute(z, y).gradient()).data());
        return h;
    }

    private static String runChild(int threads, boolean vector) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-Dfovea.threads=" + threads));
        if (vector) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GemmThreadCountTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM with fovea.threads=" + threads + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        // the JVM announces incubator modules on stderr
        return out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void sameBitsWithOneAndThreeThreads() throws Exception {
        int here = fingerprint();
        for (int threads : new int[] {1, 3}) {
            String out = runChild(threads, false);
            assertEquals(threads + " false " + here, out, "scalar gemm with fovea.threads=" + threads + " vs this JVM ("
                    + Parallel.threads() + " threads, vector kernel " + Gemm.vectorized() + ")");
        }
        String vector = runChild(1, true);
        assertEquals("1 true " + here, vector, "vector gemm with fovea.threads=1 vs this JVM (vector kernel " + Gemm.vectorized() + ")");
    }
}
