package io.harstream.core.lstm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM cell update of one vector of units, shared by the Vector API kernels of inference
 * ({@link VectorLstmForward}) and training ({@link VectorRowKernels}): tanh as {@link RationalTanh},
 * sigmoid(x) = (1 + tanh(x/2)) / 2, plain arithmetic that every JIT tier computes to the same bits. Refers to the
 * Vector API: only classes that are themselves loaded when {@code jdk.incubator.vector} is present may call it.
 *
 * <p>Its signature carries arrays and offsets, no vector (a vector crossing a call C2 did not inline is boxed);
 * for the same reason tanh is written out five times in it.
 */
public final class VectorLstmCell {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorLstmCell() {
    }

    /**
     * Units {@code [j, j + L)}, L the lanes of the preferred species: from the gate pre-activations in {@code z} at offsets {@code a} (block
     * input), {@code f}, {@code o} and {@code i}, writes c = s(f) cPrev + s(i) tanh(a) (fused, in that order) to
     * {@code c[j..]}, tanh(c) to {@code tc[j..]} unless {@code tc} is null, and h = s(o) tanh(c) to {@code h[j..]};
     * replaces the pre-activations by tanh(a), s(f), s(o), s(i) (the trainer's backward pass reads them).
     * {@code cPrev} null is a zero state; it may be {@code c} itself.
     */
    public static void update(float[] z, int a, int f, int o, int i, float[] cPrev, float[] c, float[] tc, float[] h,
                              int j) {
        FloatVector lo = FloatVector.broadcast(S, -RationalTanh.CLAMP);
        FloatVector hi = FloatVector.broadcast(S, RationalTanh.CLAMP);
        FloatVector n13 = FloatVector.broadcast(S, RationalTanh.N13);
        FloatVector n11 = FloatVector.broadcast(S, RationalTanh.N11);
        FloatVector n9 = FloatVector.broadcast(S, RationalTanh.N9);
        FloatVector n7 = FloatVector.broadcast(S, RationalTanh.N7);
        FloatVector n5 = FloatVector.broadcast(S, RationalTanh.N5);
        FloatVector n3 = FloatVector.broadcast(S, RationalTanh.N3);
        FloatVector n1 = FloatVector.broadcast(S, RationalTanh.N1);
        FloatVector d6 = FloatVector.broadcast(S, RationalTanh.D6);
        FloatVector d4 = FloatVector.broadcast(S, RationalTanh.D4);
        FloatVector d2 = FloatVector.broadcast(S, RationalTanh.D2);
        FloatVector d0 = FloatVector.broadcast(S, RationalTanh.D0);
        FloatVector half = FloatVector.broadcast(S, 0.5f);
        FloatVector za = FloatVector.fromArray(S, z, a);
        FloatVector zf = FloatVector.fromArray(S, z, f).mul(half);
        FloatVector zo = FloatVector.fromArray(S, z, o).mul(half);
        FloatVector zi = FloatVector.fromArray(S, z, i).mul(half);
        FloatVector ta;
        { // ta = tanh(za)
            FloatVector x = za.max(lo).min(hi);
            FloatVector x2 = x.mul(x);
            FloatVector num = x2.fma(n13, n11).fma(x2, n9).fma(x2, n7).fma(x2, n5).fma(x2, n3).fma(x2, n1);
            FloatVector den = x2.fma(d6, d4).fma(x2, d2).fma(x2, d0);
            ta = x.mul(num).div(den);
        }
        FloatVector tf;
        { // tf = tanh(zf)
            FloatVector x = zf.max(lo).min(hi);
            FloatVector x2 = x.mul(x);
            FloatVector num = x2.fma(n13, n11).fma(x2, n9).fma(x2, n7).fma(x2, n5).fma(x2, n3).fma(x2, n1);
            FloatVector den = x2.fma(d6, d4).fma(x2, d2).fma(x2, d0);
            tf = x.mul(num).div(den);
        }
        FloatVector to;
        { // to = tanh(zo)
            FloatVector x = zo.max(lo).min(hi);
            FloatVector x2 = x.mul(x);
            FloatVector num = x2.fma(n13, n11).fma(x2, n9).fma(x2, n7).fma(x2, n5).fma(x2, n3).fma(x2, n1);
            FloatVector den = x2.fma(d6, d4).fma(x2, d2).fma(x2, d0);
            to = x.mul(num).div(den);
        }
        FloatVector ti;
        { // ti = tanh(zi)
            FloatVector x = zi.max(lo).min(hi);
            FloatVector x2 = x.mul(x);
            FloatVector num = x2.fma(n13, n11).fma(x2, n9).fma(x2, n7).fma(x2, n5).fma(x2, n3).fma(x2, n1);
            FloatVector den = x2.fma(d6, d4).fma(x2, d2).fma(x2, d0);
            ti = x.mul(num).div(den);
        }
        FloatVector sf = tf.fma(half, half);
        FloatVector so = to.fma(half, half);
        FloatVector si = ti.fma(half, half);
        ta.intoArray(z, a);
        sf.intoArray(z, f);
        so.intoArray(z, o);
        si.intoArray(z, i);
        FloatVector cell = si.mul(ta);
        if (cPrev != null) {
            cell = sf.fma(FloatVector.fromArray(S, cPrev, j), cell);
        }
        cell.intoArray(c, j);
        FloatVector tc1;
        { // tc1 = tanh(cell)
            FloatVector x = cell.max(lo).min(hi);
            FloatVector x2 = x.mul(x);
            FloatVector num = x2.fma(n13, n11).fma(x2, n9).fma(x2, n7).fma(x2, n5).fma(x2, n3).fma(x2, n1);
            FloatVector den = x2.fma(d6, d4).fma(x2, d2).fma(x2, d0);
            tc1 = x.mul(num).div(den);
        }
        if (tc != null) {
            tc1.intoArray(tc, j);
        }
        so.mul(tc1).intoArray(h, j);
    }
}
