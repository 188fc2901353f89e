package dev.fovea.explain;

import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

/**
 * Integrated Gradients of Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks" (2017):
 * {@code A = (x - x') * int_0^1 dS_t/dx (x' + a (x - x')) da}, approximated by a quadrature rule with
 * {@code steps} points {@code a_k} and weights {@code w_k}: {@code A = (x - x') * sum_k w_k g(x' + a_k (x - x'))}.
 * Completeness says {@code sum(A) = S_t(x) - S_t(x')}; each sample's delta
 * {@code sum(A) - (S_t(x) - S_t(x'))} measures the quadrature error (it shrinks as {@code steps} grows).
 *
 * <p>Options: {@code steps} (default 32), {@code rule} (default Gauss-Legendre, as Captum; the paper uses the
 * right Riemann sum with 20-300 steps), {@code baseline}: black (the lower bound, the paper's choice), blurred
 * (see {@link Baselines}), uniform noise (from the seed) or a given image. The {@code steps} points of a sample are
 * evaluated in chunks of {@code batch}. Signed. Input and maps {@code [N,C,H,W]}.
 */
final class IntegratedGradients extends Attribution {
    @Override
    public String name() {
        return "integrated-gradients";
    }

    @Override
    public String describe() {
        return "Integrated Gradients, Sundararajan et al. 2017: (x - baseline) * path integral of the gradient (--steps, --rule, --baseline); "
                + "reports the completeness delta. Signed, [N,C,H,W].";
    }

    @Override
    public boolean signed() {
        return true;
    }

    @Override
    public Kind kind() {
        return Kind.INPUT;
    }

    @Override
    protected AttributionResult compute(Classifier model, Tensor x, int[] targets, ExplainConfig cfg) {
        int n = x.dim(0);
        int per = x.shape().sizeFrom(1);
        Tensor base = Baselines.of(cfg, x, model.bounds());
        Quadrature q = Quadrature.of(cfg.rule(), cfg.steps());
        int m = cfg.steps();
        double[] sum = new double[n * per];
        Rows.gradients(model, n * m, cfg, r -> targets[r / m], (r, d, o) -> {
            int i = r / m;
            float a = (float) q.points[r % m];
            for (int j = 0; j < per; j++) {
                float b = base.data()[i * per + j];
                d[o + j] = b + a * (x.data()[i * per + j] - b);
            }
        }, (r, s, g, o) -> {
            int i = r / m;
            double w = q.weights[r % m];
            for (int j = 0; j < per; j++) {
                sum[i * per + j] += w * g[o + j];
            }
        });
        Tensor out = Tensor.zeros(x.shape());
        double[] scores = Scores.of(model, x, targets, cfg.score(), cfg.batch());
        double[] baseScores = Scores.of(model, base, targets, cfg.score(), cfg.batch());
        double[] deltas = new double[n];
        for (int i = 0; i < n; i++) {
            double total = 0;
            for (int j = 0; j < per; j++) {
                int at = i * per + j;
                out.data()[at] = (float) ((x.data()[at] - base.data()[at]) * sum[at]);
                total += out.data()[at];
            }
            deltas[i] = total - (scores[i] - baseScores[i]);
        }
        return new AttributionResult(out, scores, deltas, null);
    }
}
