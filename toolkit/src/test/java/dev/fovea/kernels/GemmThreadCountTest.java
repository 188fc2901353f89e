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
 * {@code fovea.threads} is read once per JVM, so this runs the same products in child JVMs with 1 and 3 threads
 * and compares a hash of the result bits with this JVM's. The children run without the Vector API module, so they
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
