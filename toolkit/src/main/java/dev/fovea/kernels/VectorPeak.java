package dev.fovea.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loop behind {@link Peak}: {@link #CHAINS} independent chains of fused multiply-adds on whole
 * vectors of the preferred species (the one {@link VectorKernel} uses; another species in the same JVM would cost
 * every kernel its intrinsics), enough to cover the FMA latency on every FMA unit. Only loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Float lanes of one fused multiply-add. */
    static final int LANES = S.length();
    /** Independent accumulators, as many as the GEMM micro-kernel keeps in registers. */
    static final int CHAINS = 12;

    private VectorPeak() {
    }

    /**
     * {@code steps} times {@code acc = acc * m + c} on each chain ({@code CHAINS x steps} vector FMAs); every chain
     * tends to {@code c / (1 - m)}, so the values stay finite however long it runs. Returns the sum of all lanes so
     * that the work cannot be dropped.
     */
    static float burst(int steps, float m, float c) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector vc = FloatVector.broadcast(S, c);
        FloatVector a0 = FloatVector.broadcast(S, 0.00f), a1 = FloatVector.broadcast(S, 0.01f);
        FloatVector a2 = FloatVector.broadcast(S, 0.02f), a3 = FloatVector.broadcast(S, 0.03f);
        FloatVector a4 = FloatVector.broadcast(S, 0.04f), a5 = FloatVector.broadcast(S, 0.05f);
        FloatVector a6 = FloatVector.broadcast(S, 0.06f), a7 = FloatVector.broadcast(S, 0.07f);
        FloatVector a8 = FloatVector.broadcast(S, 0.08f), a9 = FloatVector.broadcast(S, 0.09f);
        FloatVector a10 = FloatVector.broadcast(S, 0.10f), a11 = FloatVector.broadcast(S, 0.11f);
        for (int i = 0; i < steps; i++) {
            a0 = a0.fma(vm, vc);
            a1 = a1.fma(vm, vc);
            a2 = a2.fma(vm, vc);
            a3 = a3.fma(vm, vc);
            a4 = a4.fma(vm, vc);
            a5 = a5.fma(vm, vc);
            a6 = a6.fma(vm, vc);
            a7 = a7.fma(vm, vc);
            a8 = a8.fma(vm, vc);
            a9 = a9.fma(vm, vc);
            a10 = a10.fma(vm, vc);
            a11 = a11.fma(vm, vc);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
