package dev.fovea.attacks;

import dev.fovea.model.Classifier;
import dev.fovea.model.Criterion;
import dev.fovea.tensor.Tensor;

import java.util.Arrays;

/**
 * An attack that searches, per sample, for the smallest perturbation (in its norm) that fools the model, whatever
 * the budget; {@link Attack#run} then projects the result onto the budget's ball and keeps the norm found in
 * {@link AttackResult#minimalNorm()}. Samples the model gets wrong already (or, targeted, puts in the target
 * class) have minimal norm 0 and are not searched.
 */
public abstract class MinimumNormAttack extends Attack {
    @Override
    public final boolean minimumNorm() {
        return true;
    }

    /**
     * Searches the samples {@code x} (a copy the attack may change), none of which is fooled yet under
     * {@code criterion}, and returns the
     * images of the smallest successful perturbations found (the last iterate where none was found), writing each
     * one's norm in {@code cfg.norm()} into {@code minimalNorm} ({@code +inf} where none was found).
     */
    protected abstract Tensor search(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm);

    @Override
    protected final Tensor perturb(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries) {
        return propose(model, x, criterion, cfg, queries, new double[criterion.size()], null);
    }

    @Override
    final Tensor propose(Classifier model, Tensor x, Criterion criterion, AttackConfig cfg, long[] queries, double[] minimalNorm, String[] fooledBy) {
        int n = criterion.size();
        boolean[] fooled = criterion.test(model.predict(x));
        int[] todo = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            queries[i]++;
            if (fooled[i]) {
                minimalNorm[i] = 0;
            } else {
                todo[m++] = i;
            }
        }
        todo = Arrays.copyOf(todo, m);
        if (m == 0) {
            return x;
        }
        long[] q = new long[m];
        double[] found = new double[m];
        Arrays.fill(found, Double.POSITIVE_INFINITY);
        Tensor adv = search(model, x.gather(todo), criterion.gather(todo), cfg, q, found);
        int per = x.shape().sizeFrom(1);
        for (int i = 0; i < m; i++) {
            System.arraycopy(adv.data(), i * per, x.data(), todo[i] * per, per);
            queries[todo[i]] += q[i];
            minimalNorm[todo[i]] = found[i];
        }
        return x;
    }
}
