package dev.fovea.nn;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every layer's backward pass (input and every parameter) against central differences, through
 * {@link GradCheck}. Layers that are linear (or piecewise linear away from kinks) in the checked value get a
 * large step and a tight bound, since the difference quotient is then exact up to float32 rounding; smooth
 * non-linear layers get {@code h = 1e-2..1e-3} and the default bound.
 */
class LayerGradientTest {
    /** Bound for layers whose difference quotient is exact but for rounding. */
    private static final double EXACT = 1e-3;
    /** Absolute floor where float32 rounding inside batch norm makes near-zero numeric gradients noisy. */
    private static final double NOISE = 1e-4;
    /**
     * Absolute floor for convolutions: float32 sums of order 1 round at about 1e-7, so an entry whose gradient
     * nearly cancels to 1e-5 has a relative error near 1e-3 whatever the summation order of the GEMM.
     */
    private static final double FLOAT_SUM = 1e-6;

    private static List<GradCheck.Result> check(GradCheck gc, Tensor x) {
        List<GradCheck.Result> results = gc.assertAll(x);
        if (Boolean.getBoolean("gradcheck.verbose")) {
            results.forEach(r -> System.out.println(r.describe()));
        }
        return results;
    }

    private static Sequential seq(Layer... layers) {
        return new Sequential(List.of(layers));
    }

    @ParameterizedTest(name = "bias={0} stride={1} padding={2}")
    @CsvSource({"true,1,0", "true,1,1", "true,1,2", "true,2,0", "true,2,1", "true,2,2",
            "false,1,0", "false,1,1", "false,1,2", "false,2,0", "false,2,1", "false,2,2"})
    void conv2d(boolean bias, int stride, int padding) {
        Conv2d conv = new Conv2d(2, 3, 3, stride, padding, bias);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 11);
        Tensor x = GradCheck.uniform(Shape.of(2, 2, 6, 7), -1, 1, 12);
        List<GradCheck.Result> r = check(GradCheck.of(conv).step(0.5).tolerance(EXACT).absTolerance(FLOAT_SUM), x);
        assertEquals(bias ? 3 : 2, r.size(), "input, weight" + (bias ? ", bias" : ""));
    }

    @Test
    void conv2dWithLargerKernelAndStride() {
        Conv2d conv = new Conv2d(3, 2, 5, 3, 2, true);
        GradCheck.randomizeAll(conv, -0.5, 0.5, 13);
        check(GradCheck.of(conv).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(1, 3, 8, 9), -1, 1, 14));
    }

    @ParameterizedTest(name = "bias={0} stride={1} padding={2} kernel={3}")
    @CsvSource({"true,1,0,3", "false,1,1,3", "true,2,0,3", "true,2,1,3", "false,2,1,4", "true,3,2,5"})
    void convTranspose2d(boolean bias, int stride, int padding, int kernel) {
        ConvTranspose2d deconv = new ConvTranspose2d(3, 2, kernel, stride, padding, bias);
        GradCheck.randomizeAll(deconv, -0.5, 0.5, 15);
        check(GradCheck.of(deconv).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 3, 4, 3), -1, 1, 16));
    }

    @ParameterizedTest(name = "bias={0}")
    @CsvSource({"true", "false"})
    void linear(boolean bias) {
        Linear fc = new Linear(6, 5, bias);
        GradCheck.randomizeAll(fc, -0.5, 0.5, 17);
        check(GradCheck.of(fc).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(4, 6), -1, 1, 18));
    }

    /** Distinct inputs 0.05 apart and a step of 0.01: no window changes its maximum while the check perturbs it. */
    @ParameterizedTest(name = "kernel={0} stride={1} padding={2}")
    @CsvSource({"2,2,0", "3,2,1", "3,1,1", "2,1,0"})
    void maxPool2d(int kernel, int stride, int padding) {
        MaxPool2d pool = new MaxPool2d(kernel, stride, padding);
        check(GradCheck.of(pool).step(1e-2).tolerance(EXACT), GradCheck.distinct(Shape.of(2, 2, 7, 6), 0.05, 19));
    }

    @ParameterizedTest(name = "kernel={0} stride={1} padding={2}")
    @CsvSource({"2,2,0", "3,2,1", "3,1,1"})
    void avgPool2d(int kernel, int stride, int padding) {
        AvgPool2d pool = new AvgPool2d(kernel, stride, padding);
        check(GradCheck.of(pool).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 2, 7, 6), -1, 1, 20));
    }

    @Test
    void globalAvgPool() {
        check(GradCheck.of(new GlobalAvgPool()).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 3, 4, 5), -1, 1, 21));
    }

    @ParameterizedTest(name = "stride={0} pad={1}")
    @CsvSource({"2,2", "1,1", "3,0"})
    void subsamplePad(int stride, int pad) {
        check(GradCheck.of(new SubsamplePad(stride, pad)).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 2, 7, 6), -1, 1, 57));
    }

    /** Training mode: the mean and variance are functions of the whole batch, and the gradient must say so. */
    @Test
    void batchNorm2dTraining() {
        BatchNorm.BatchNorm2d bn = new BatchNorm.BatchNorm2d(3);
        GradCheck.randomize(bn.weight(), 0.5, 1.5, 22);
        GradCheck.randomize(bn.bias(), -0.5, 0.5, 23);
        check(GradCheck.of(bn).training(true).step(1e-2).absTolerance(NOISE), GradCheck.uniform(Shape.of(4, 3, 3, 3), -1, 2, 24));
    }

    @Test
    void batchNorm1dTraining() {
        BatchNorm.BatchNorm1d bn = new BatchNorm.BatchNorm1d(4);
        GradCheck.randomize(bn.weight(), 0.5, 1.5, 25);
        GradCheck.randomize(bn.bias(), -0.5, 0.5, 26);
        check(GradCheck.of(bn).training(true).step(1e-2).absTolerance(NOISE), GradCheck.uniform(Shape.of(6, 4), -1, 2, 27));
    }

    /** Evaluation mode: an affine map through the running statistics, which are set away from (0, 1). */
    @Test
    void batchNorm2dEval() {
        BatchNorm.BatchNorm2d bn = new BatchNorm.BatchNorm2d(3);
        GradCheck.randomize(bn.weight(), 0.5, 1.5, 28);
        GradCheck.randomize(bn.bias(), -0.5, 0.5, 29);
        setRunningStats(bn, 30);
        check(GradCheck.of(bn).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 3, 3, 4), -1, 2, 31));
    }

    @Test
    void batchNorm1dEval() {
        BatchNorm.BatchNorm1d bn = new BatchNorm.BatchNorm1d(5);
        GradCheck.randomize(bn.weight(), 0.5, 1.5, 32);
        GradCheck.randomize(bn.bias(), -0.5, 0.5, 33);
        setRunningStats(bn, 34);
        check(GradCheck.of(bn).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(3, 5), -1, 2, 35));
    }

    private static void setRunningStats(BatchNorm bn, long seed) {
        float[] mean = Tensor.uniform(Shape.of(bn.channels()), -0.5f, 0.5f, seed).data();
        float[] var = Tensor.uniform(Shape.of(bn.channels()), 0.3f, 2f, seed + 1).data();
        System.arraycopy(mean, 0, bn.runningMean(), 0, mean.length);
        System.arraycopy(var, 0, bn.runningVar(), 0, var.length);
    }

    @Test
    void relu() {
        check(GradCheck.of(new Activation.ReLU()).step(1e-2).tolerance(EXACT),
                GradCheck.awayFromZero(Shape.of(3, 2, 4, 4), 0.05, 36));
    }

    @Test
    void leakyRelu() {
        check(GradCheck.of(new Activation.LeakyReLU(0.1f)).step(1e-2).tolerance(EXACT),
                GradCheck.awayFromZero(Shape.of(3, 2, 4, 4), 0.05, 37));
    }

    @Test
    void sigmoid() {
        check(GradCheck.of(new Activation.Sigmoid()).step(1e-2).tolerance(1e-3), GradCheck.uniform(Shape.of(4, 7), -4, 4, 38));
    }

    @Test
    void tanh() {
        check(GradCheck.of(new Activation.Tanh()).step(1e-2).tolerance(1e-3), GradCheck.uniform(Shape.of(4, 7), -3, 3, 39));
    }

    @Test
    void softmax() {
        check(GradCheck.of(new Softmax()).step(1e-2).tolerance(1e-3), GradCheck.uniform(Shape.of(3, 6), -2, 2, 40));
    }

    /** The check reseeds the dropout before every forward pass, so all evaluations share one mask. */
    @Test
    void dropoutTraining() {
        check(GradCheck.of(new Dropout(0.3f, 41)).training(true).step(0.5).tolerance(EXACT),
                GradCheck.uniform(Shape.of(4, 10), -1, 1, 42));
    }

    @Test
    void dropoutEval() {
        check(GradCheck.of(new Dropout(0.3f, 43)).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(4, 10), -1, 1, 44));
    }

    @Test
    void flatten() {
        check(GradCheck.of(new Flatten()).step(0.5).tolerance(EXACT), GradCheck.uniform(Shape.of(2, 3, 2, 2), -1, 1, 45));
    }

    /** A small CNN: conv, batch norm, ReLU, max pool, flatten, dropout, linear, tanh. */
    @ParameterizedTest(name = "training={0}")
    @CsvSource({"true", "false"})
    void sequential(boolean training) {
        Sequential net = seq(
                new Conv2d(2, 3, 3, 1, 1, true),
                new BatchNorm.BatchNorm2d(3),
                new Activation.ReLU(),
                new MaxPool2d(2, 2, 0),
                new Flatten(),
                new Dropout(0.25f, 46),
                new Linear(27, 4, true),
                new Activation.Tanh());
        GradCheck.randomizeAll(net, -0.5, 0.5, 47);
        BatchNorm bn = (BatchNorm) net.layers().get(1);
        GradCheck.randomize(bn.weight(), 0.5, 1.5, 48);
        setRunningStats(bn, 49);
        List<GradCheck.Result> r = check(GradCheck.of(net).training(training).step(3e-3).absTolerance(NOISE),
                GradCheck.uniform(Shape.of(2, 2, 6, 6), -1, 1, 50));
        assertEquals(1 + 6, r.size(), "input and conv, batch-norm, linear weights and biases");
    }

    @Test
    void residualWithIdentityShortcut() {
        Residual block = new Residual(seq(
                new Conv2d(3, 3, 3, 1, 1, false),
                new BatchNorm.BatchNorm2d(3),
                new Activation.ReLU(),
                new Conv2d(3, 3, 3, 1, 1, true)), seq());
        GradCheck.randomizeAll(block, -0.5, 0.5, 51);
        GradCheck.randomize(((BatchNorm) block.body().layers().get(1)).weight(), 0.5, 1.5, 52);
        // Two convolutions around batch norm make L large (~10): its float32 noise over 2h is ~4e-4 here.
        check(GradCheck.of(block).training(true).step(3e-3).absTolerance(1e-3), GradCheck.uniform(Shape.of(2, 3, 5, 5), -1, 1, 53));
    }

    /** The CIFAR ResNets' downsampling block with He et al.'s parameter-free shortcut (option A). */
    @Test
    void residualWithSubsamplePadShortcut() {
        Residual block = new Residual(
                seq(new Conv2d(2, 4, 3, 2, 1, false), new Activation.LeakyReLU(0.1f), new Conv2d(4, 4, 3, 1, 1, true)),
                seq(new SubsamplePad(2, 1)));
        GradCheck.randomizeAll(block, -0.5, 0.5, 58);
        check(GradCheck.of(block).step(3e-3).absTolerance(NOISE), GradCheck.uniform(Shape.of(2, 2, 7, 6), -1, 1, 59));
    }

    @Test
    void residualWithConvShortcut() {
        Residual block = new Residual(
                seq(new Conv2d(2, 4, 3, 2, 1, false), new Activation.LeakyReLU(0.1f), new Conv2d(4, 4, 3, 1, 1, true)),
                seq(new Conv2d(2, 4, 1, 2, 0, false), new BatchNorm.BatchNorm2d(4)));
        GradCheck.randomizeAll(block, -0.5, 0.5, 54);
        GradCheck.randomize(((BatchNorm) block.shortcut().layers().get(1)).weight(), 0.5, 1.5, 55);
        check(GradCheck.of(block).training(true).step(3e-3).absTolerance(NOISE), GradCheck.uniform(Shape.of(2, 2, 6, 6), -1, 1, 56));
    }
}
