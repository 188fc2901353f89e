package dev.fovea.optim;

import dev.fovea.nn.Param;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One and two steps of each optimizer against the update rules written out by hand (PyTorch's definitions). */
class OptimizerTest {
    private static Param param(float value, float grad) {
        Param p = new Param("w", Tensor.of(new float[] {value}, 1));
        p.grad().data()[0] = grad;
        return p;
    }

    @Test
    void sgdMomentumAndWeightDecay() {
        Param p = param(1f, 0.5f);
        Sgd sgd = new Sgd(List.of(p), 0.9f, false, 0.1f);
        sgd.step(0.1f);
        // g = 0.5 + 0.1*1 = 0.6; b = 0.6; p = 1 - 0.06
        assertEquals(0.94f, p.value().data()[0], 1e-6);
        sgd.step(0.1f);
        // g = 0.5 + 0.094 = 0.594; b = 0.9*0.6 + 0.594 = 1.134; p = 0.94 - 0.1134
        assertEquals(0.94f - 0.1134f, p.value().data()[0], 1e-6);
    }

    @Test
    void sgdNesterov() {
        Param p = param(1f, 0.5f);
        Sgd sgd = new Sgd(List.of(p), 0.9f, true, 0f);
        sgd.step(0.1f);
        // b = 0.5; step = g + mu*b = 0.5 + 0.45 = 0.95
        assertEquals(1f - 0.095f, p.value().data()[0], 1e-6);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        Param p = param(1f, 0.5f);
        new Adam(List.of(p), 0.9f, 0.999f, 1e-8f, 0f, false).step(0.01f);
        // m_hat = g, v_hat = g^2: the first step is lr * sign(g).
        assertEquals(0.99f, p.value().data()[0], 1e-6);
    }

    @Test
    void adamTwoSteps() {
        Param p = param(1f, 0.5f);
        Adam adam = new Adam(List.of(p), 0.9f, 0.999f, 1e-8f, 0f, false);
        adam.step(0.01f);
        p.grad().data()[0] = -0.25f;
        adam.step(0.01f);
        double m = 0.9 * 0.05 + 0.1 * -0.25;
        double v = 0.999 * 0.00025 + 0.001 * 0.0625;
        double mh = m / (1 - 0.81);
        double vh = v / (1 - 0.998001);
        assertEquals(0.99 - 0.01 * mh / (Math.sqrt(vh) + 1e-8), p.value().data()[0], 1e-6);
    }

    @Test
    void adamwDecaysTheWeightsApartFromTheGradient() {
        Param p = param(2f, 0f);
        new Adam(List.of(p), 0.9f, 0.999f, 1e-8f, 0.1f, true).step(0.01f);
        // decoupled: p -= lr*wd*p = 2 - 0.002; the zero gradient moves nothing.
        assertEquals(1.998f, p.value().data()[0], 1e-6);
        Param q = param(2f, 0f);
        new Adam(List.of(q), 0.9f, 0.999f, 1e-8f, 0.1f, false).step(0.01f);
        // L2: g = 0.2, the first Adam step is lr * sign(g).
        assertEquals(1.99f, q.value().data()[0], 1e-6);
    }

    @Test
    void schedules() {
        assertEquals(0.1f, Schedule.CONSTANT.rate(0.1f, 50, 100, 10, 1, 0.1f));
        assertEquals(0.01f, Schedule.STEP.rate(0.1f, 35, 100, 10, 3, 0.1f), 1e-7);
        assertEquals(0.1f, Schedule.COSINE.rate(0.1f, 0, 100, 10, 1, 0.1f), 1e-7);
        assertEquals(0.05f, Schedule.COSINE.rate(0.1f, 50, 100, 10, 1, 0.1f), 1e-7);
        assertEquals(0f, Schedule.COSINE.rate(0.1f, 100, 100, 10, 1, 0.1f), 1e-7);
    }
}
