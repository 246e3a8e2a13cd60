package io.harstream.core.model.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API forward pass. The only class that refers to {@code jdk.incubator.vector}: it is
 * loaded by name from {@link LstmForward#vectorApi} only when the module is present.
 *
 * <p>Windows go through the network in tiles of {@value #TILE} (the rest one by one). Per tile and
 * layer: the input projection of every time step ({@code [steps x in] . [in x 4n]}, register tiles of
 * 4 steps x 4 vectors), then the recurrence. In the recurrence, for one block of {@code L} units (one
 * vector) the four gate vectors of each of the tile's windows stay in registers (16 accumulators)
 * while the loop runs over the previous output's units; the recurrent weights of that block are
 * stored so that the four gate vectors of one previous unit are adjacent
 * ({@link PackedLstm.Layer#rwBlocks}). The cell update follows as soon as a block's gates are
 * complete. Activations: the Vector API's lanewise {@code TANH} and {@code EXP} (intrinsics on x86),
 * sigmoid as {@code 1 / (1 + exp(-x))}.
 *
 * <p>Two rules keep C2's code fast (each measured): no method takes or returns a vector (C2 inlines
 * Vector API code only up to its node budget, and a vector crossing a call that was not inlined is
 * boxed: 10x slower), and every hot loop has one induction variable with array offsets that are
 * constant multiples of it (C2 then hoists the bounds checks out of the loop: +10 %).
 */
final class VectorLstmForward extends LstmForward {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Windows per recurrence tile; {@link LstmForward#SPLIT_GRAIN} is a multiple of it. */
    static final int TILE = 4;

    private final PackedLstm p;

    VectorLstmForward(LstmNetworkWeights weights) {
        super(weights);
        this.p = new PackedLstm(weights, L);
    }

    @Override
    public String description() {
        return "Vector API, " + L + " float lanes (" + S.vectorBitSize() + " bit), tiles of " + TILE + " windows";
    }

    /** Per-call scratch: one tile's projections and output sequences. */
    private static final class Scratch {
        final float[][][] gates;
        final float[][][] seq;
        final float[][] c;
        final float[] zero;

        Scratch(PackedLstm p, int windows, int steps) {
            gates = new float[windows][steps][p.maxGates];
            seq = new float[windows][steps][p.maxInputPad()];
            c = new float[windows][p.maxUnitsPad];
            zero = new float[p.maxUnitsPad];
        }
    }

    @Override
    void lastHidden(float[] x, int from, int to, int steps, float[][] h) {
        Scratch s = new Scratch(p, Math.min(TILE, to - from), steps);
        int b = from;
        for (; b + TILE <= to; b += TILE) {
            tile(x, b, TILE, steps, s, h);
        }
        for (; b < to; b++) {
            tile(x, b, 1, steps, s, h);
        }
    }

    private void tile(float[] x, int first, int m, int steps, Scratch s, float[][] h) {
        int perWindow = p.channels * steps;
        for (int w = 0; w < m; w++) {
            dense(x, (first + w) * perWindow, steps, s.seq[w]);
        }
        int inputs = p.dense;
        for (PackedLstm.Layer layer : p.layers) {
            for (int w = 0; w < m; w++) {
                project(s.seq[w], inputs, layer.wBlocks, layer.b, s.gates[w], steps);
            }
            if (m == 4) {
                recur4(layer, steps, s);
            } else {
                for (int w = 0; w < m; w++) {
                    recur1(layer, steps, s.gates[w], s.seq[w], s.c[w], s.zero);
                }
            }
            inputs = layer.n;
        }
        for (int w = 0; w < m; w++) {
            System.arraycopy(s.seq[w][steps - 1], 0, h[first + w], 0, h[first + w].length);
        }
    }

    /** ReLU(b + x_t . W) for every step, into {@code out[t][0..densePad)}. */
    private void dense(float[] x, int base, int steps, float[][] out) {
        for (int t = 0; t < steps; t++) {
            float[] o = out[t];
            for (int j = 0; j < p.densePad; j += L) {
                FloatVector acc = FloatVector.fromArray(S, p.denseB, j);
                for (int ch = 0; ch < p.channels; ch++) {
                    FloatVector v = FloatVector.broadcast(S, x[base + ch * steps + t]);
                    acc = FloatVector.fromArray(S, p.denseW[ch], j).fma(v, acc);
                }
                acc.max(0f).intoArray(o, j);
            }
        }
    }

    /**
     * {@code out[t] = b + in[t][0..inputs) . W} for every step; 4 steps x 4 vectors per register tile,
     * the weights of one tile's columns read from one flat block ({@link PackedLstm.Layer#wBlocks}).
     */
    private static void project(float[][] in, int inputs, float[][] wBlocks, float[] bias, float[][] out, int steps) {
        for (int cb = 0; cb < wBlocks.length; cb++) {
            float[] wb = wBlocks[cb];
            int col = cb * (4 * L);
            int c1 = col + L;
            int c2 = col + 2 * L;
            int c3 = col + 3 * L;
            FloatVector b0 = FloatVector.fromArray(S, bias, col);
            FloatVector b1 = FloatVector.fromArray(S, bias, c1);
            FloatVector b2 = FloatVector.fromArray(S, bias, c2);
            FloatVector b3 = FloatVector.fromArray(S, bias, c3);
            int t = 0;
            for (; t + 4 <= steps; t += 4) {
                float[] i0 = in[t];
                float[] i1 = in[t + 1];
                float[] i2 = in[t + 2];
                float[] i3 = in[t + 3];
                FloatVector a00 = b0, a01 = b1, a02 = b2, a03 = b3;
                FloatVector a10 = b0, a11 = b1, a12 = b2, a13 = b3;
                FloatVector a20 = b0, a21 = b1, a22 = b2, a23 = b3;
                FloatVector a30 = b0, a31 = b1, a32 = b2, a33 = b3;
                for (int k = 0; k < inputs; k++) {
                    int off = k * (4 * L);
                    FloatVector w0 = FloatVector.fromArray(S, wb, off);
                    FloatVector w1 = FloatVector.fromArray(S, wb, off + L);
                    FloatVector w2 = FloatVector.fromArray(S, wb, off + 2 * L);
                    FloatVector w3 = FloatVector.fromArray(S, wb, off + 3 * L);
                    FloatVector v = FloatVector.broadcast(S, i0[k]);
                    a00 = w0.fma(v, a00);
                    a01 = w1.fma(v, a01);
                    a02 = w2.fma(v, a02);
                    a03 = w3.fma(v, a03);
                    v = FloatVector.broadcast(S, i1[k]);
                    a10 = w0.fma(v, a10);
                    a11 = w1.fma(v, a11);
                    a12 = w2.fma(v, a12);
                    a13 = w3.fma(v, a13);
                    v = FloatVector.broadcast(S, i2[k]);
                    a20 = w0.fma(v, a20);
                    a21 = w1.fma(v, a21);
                    a22 = w2.fma(v, a22);
                    a23 = w3.fma(v, a23);
                    v = FloatVector.broadcast(S, i3[k]);
                    a30 = w0.fma(v, a30);
                    a31 = w1.fma(v, a31);
                    a32 = w2.fma(v, a32);
                    a33 = w3.fma(v, a33);
                }
                float[] o0 = out[t];
                float[] o1 = out[t + 1];
                float[] o2 = out[t + 2];
                float[] o3 = out[t + 3];
                a00.intoArray(o0, col);
                a01.intoArray(o0, c1);
                a02.intoArray(o0, c2);
                a03.intoArray(o0, c3);
                a10.intoArray(o1, col);
                a11.intoArray(o1, c1);
                a12.intoArray(o1, c2);
                a13.intoArray(o1, c3);
                a20.intoArray(o2, col);
                a21.intoArray(o2, c1);
                a22.intoArray(o2, c2);
                a23.intoArray(o2, c3);
                a30.intoArray(o3, col);
                a31.intoArray(o3, c1);
                a32.intoArray(o3, c2);
                a33.intoArray(o3, c3);
            }
            for (; t < steps; t++) {
                float[] i0 = in[t];
                FloatVector a0 = b0, a1 = b1, a2 = b2, a3 = b3;
                for (int k = 0; k < inputs; k++) {
                    int off = k * (4 * L);
                    FloatVector v = FloatVector.broadcast(S, i0[k]);
                    a0 = FloatVector.fromArray(S, wb, off).fma(v, a0);
                    a1 = FloatVector.fromArray(S, wb, off + L).fma(v, a1);
                    a2 = FloatVector.fromArray(S, wb, off + 2 * L).fma(v, a2);
                    a3 = FloatVector.fromArray(S, wb, off + 3 * L).fma(v, a3);
                }
                float[] o0 = out[t];
                a0.intoArray(o0, col);
                a1.intoArray(o0, c1);
                a2.intoArray(o0, c2);
                a3.intoArray(o0, c3);
            }
        }
    }

    /**
     * The recurrence for a tile of 4 windows; step t's output goes to {@code s.seq[w][t]}. The hot
     * loops are in {@link #gates4} and {@link #cell}, whose signatures carry no vectors: however C2
     * decides to inline them, no vector is ever boxed.
     */
    private static void recur4(PackedLstm.Layer layer, int steps, Scratch s) {
        int np = layer.nPad;
        float[][] q0 = s.gates[0], q1 = s.gates[1], q2 = s.gates[2], q3 = s.gates[3];
        float[][] s0 = s.seq[0], s1 = s.seq[1], s2 = s.seq[2], s3 = s.seq[3];
        float[] c0 = s.c[0], c1 = s.c[1], c2 = s.c[2], c3 = s.c[3];
        Arrays.fill(c0, 0f);
        Arrays.fill(c1, 0f);
        Arrays.fill(c2, 0f);
        Arrays.fill(c3, 0f);
        for (int t = 0; t < steps; t++) {
            float[] h0 = t == 0 ? s.zero : s0[t - 1];
            float[] h1 = t == 0 ? s.zero : s1[t - 1];
            float[] h2 = t == 0 ? s.zero : s2[t - 1];
            float[] h3 = t == 0 ? s.zero : s3[t - 1];
            float[] p0 = q0[t], p1 = q1[t], p2 = q2[t], p3 = q3[t];
            for (int j = 0, jb = 0; j < np; j += L, jb++) {
                gates4(layer.rwBlocks[jb], layer.n, np, j, p0, p1, p2, p3, h0, h1, h2, h3);
                cell(p0, np, j, c0, s0[t]);
                cell(p1, np, j, c1, s1[t]);
                cell(p2, np, j, c2, s2[t]);
                cell(p3, np, j, c3, s3[t]);
            }
        }
    }

    /**
     * Adds {@code h_w . RW} to the gate pre-activations of units {@code [j, j+L)} of four windows,
     * in place in their rows {@code p_w}: 16 accumulators in registers over the previous outputs.
     */
    private static void gates4(float[] rb, int n, int np, int j, float[] p0, float[] p1, float[] p2, float[] p3,
                               float[] h0, float[] h1, float[] h2, float[] h3) {
        int ga = LstmNetworkWeights.BLOCK_CANDIDATE * np + j;
        int gf = LstmNetworkWeights.BLOCK_FORGET * np + j;
        int go = LstmNetworkWeights.BLOCK_OUTPUT * np + j;
        int gi = LstmNetworkWeights.BLOCK_INPUT * np + j;
        FloatVector a0 = FloatVector.fromArray(S, p0, ga), f0 = FloatVector.fromArray(S, p0, gf);
        FloatVector o0 = FloatVector.fromArray(S, p0, go), i0 = FloatVector.fromArray(S, p0, gi);
        FloatVector a1 = FloatVector.fromArray(S, p1, ga), f1 = FloatVector.fromArray(S, p1, gf);
        FloatVector o1 = FloatVector.fromArray(S, p1, go), i1 = FloatVector.fromArray(S, p1, gi);
        FloatVector a2 = FloatVector.fromArray(S, p2, ga), f2 = FloatVector.fromArray(S, p2, gf);
        FloatVector o2 = FloatVector.fromArray(S, p2, go), i2 = FloatVector.fromArray(S, p2, gi);
        FloatVector a3 = FloatVector.fromArray(S, p3, ga), f3 = FloatVector.fromArray(S, p3, gf);
        FloatVector o3 = FloatVector.fromArray(S, p3, go), i3 = FloatVector.fromArray(S, p3, gi);
        for (int k = 0; k < n; k++) {
            int off = k * (4 * L); // one induction variable: C2 hoists the bounds checks out of the loop
            FloatVector ra = FloatVector.fromArray(S, rb, off + LstmNetworkWeights.BLOCK_CANDIDATE * L);
            FloatVector rf = FloatVector.fromArray(S, rb, off + LstmNetworkWeights.BLOCK_FORGET * L);
            FloatVector ro = FloatVector.fromArray(S, rb, off + LstmNetworkWeights.BLOCK_OUTPUT * L);
            FloatVector ri = FloatVector.fromArray(S, rb, off + LstmNetworkWeights.BLOCK_INPUT * L);
            FloatVector v = FloatVector.broadcast(S, h0[k]);
            a0 = ra.fma(v, a0);
            f0 = rf.fma(v, f0);
            o0 = ro.fma(v, o0);
            i0 = ri.fma(v, i0);
            v = FloatVector.broadcast(S, h1[k]);
            a1 = ra.fma(v, a1);
            f1 = rf.fma(v, f1);
            o1 = ro.fma(v, o1);
            i1 = ri.fma(v, i1);
            v = FloatVector.broadcast(S, h2[k]);
            a2 = ra.fma(v, a2);
            f2 = rf.fma(v, f2);
            o2 = ro.fma(v, o2);
            i2 = ri.fma(v, i2);
            v = FloatVector.broadcast(S, h3[k]);
            a3 = ra.fma(v, a3);
            f3 = rf.fma(v, f3);
            o3 = ro.fma(v, o3);
            i3 = ri.fma(v, i3);
        }
        a0.intoArray(p0, ga);
        f0.intoArray(p0, gf);
        o0.intoArray(p0, go);
        i0.intoArray(p0, gi);
        a1.intoArray(p1, ga);
        f1.intoArray(p1, gf);
        o1.intoArray(p1, go);
        i1.intoArray(p1, gi);
        a2.intoArray(p2, ga);
        f2.intoArray(p2, gf);
        o2.intoArray(p2, go);
        i2.intoArray(p2, gi);
        a3.intoArray(p3, ga);
        f3.intoArray(p3, gf);
        o3.intoArray(p3, go);
        i3.intoArray(p3, gi);
    }

    /**
     * The recurrence for one window: two blocks of units at a time (eight accumulators, for the FMA
     * latency), each summed in exactly the order {@link #gates4} uses, so that a window's result does not
     * depend on whether it went through a tile or alone, nor on the batch it came in.
     */
    private static void recur1(PackedLstm.Layer layer, int steps, float[][] gates, float[][] seq, float[] c,
                               float[] zero) {
        int np = layer.nPad;
        float[][] blocks = layer.rwBlocks;
        Arrays.fill(c, 0f);
        for (int t = 0; t < steps; t++) {
            float[] hp = t == 0 ? zero : seq[t - 1];
            float[] pt = gates[t];
            int jb = 0;
            for (; jb + 2 <= blocks.length; jb += 2) {
                gates1(blocks[jb], blocks[jb + 1], layer.n, np, jb * L, pt, hp);
                cell(pt, np, jb * L, c, seq[t]);
                cell(pt, np, (jb + 1) * L, c, seq[t]);
            }
            if (jb < blocks.length) {
                gates1(blocks[jb], blocks[jb], layer.n, np, jb * L, pt, hp); // the same block twice: idempotent
                cell(pt, np, jb * L, c, seq[t]);
            }
        }
    }

    /**
     * {@link #gates4} for one window and two blocks of units, {@code [j, j+L)} from {@code rb0} and
     * {@code [j+L, j+2L)} from {@code rb1}. When {@code rb1 == rb0} only the first block is written.
     */
    private static void gates1(float[] rb0, float[] rb1, int n, int np, int j, float[] p, float[] hp) {
        boolean two = rb1 != rb0;
        int j1 = two ? j + L : j;
        int ga = LstmNetworkWeights.BLOCK_CANDIDATE * np;
        int gf = LstmNetworkWeights.BLOCK_FORGET * np;
        int go = LstmNetworkWeights.BLOCK_OUTPUT * np;
        int gi = LstmNetworkWeights.BLOCK_INPUT * np;
        FloatVector a0 = FloatVector.fromArray(S, p, ga + j), f0 = FloatVector.fromArray(S, p, gf + j);
        FloatVector o0 = FloatVector.fromArray(S, p, go + j), i0 = FloatVector.fromArray(S, p, gi + j);
        FloatVector a1 = FloatVector.fromArray(S, p, ga + j1), f1 = FloatVector.fromArray(S, p, gf + j1);
        FloatVector o1 = FloatVector.fromArray(S, p, go + j1), i1 = FloatVector.fromArray(S, p, gi + j1);
        for (int k = 0; k < n; k++) {
            int off = k * (4 * L);
            FloatVector v = FloatVector.broadcast(S, hp[k]);
            a0 = FloatVector.fromArray(S, rb0, off + LstmNetworkWeights.BLOCK_CANDIDATE * L).fma(v, a0);
            f0 = FloatVector.fromArray(S, rb0, off + LstmNetworkWeights.BLOCK_FORGET * L).fma(v, f0);
            o0 = FloatVector.fromArray(S, rb0, off + LstmNetworkWeights.BLOCK_OUTPUT * L).fma(v, o0);
            i0 = FloatVector.fromArray(S, rb0, off + LstmNetworkWeights.BLOCK_INPUT * L).fma(v, i0);
            a1 = FloatVector.fromArray(S, rb1, off + LstmNetworkWeights.BLOCK_CANDIDATE * L).fma(v, a1);
            f1 = FloatVector.fromArray(S, rb1, off + LstmNetworkWeights.BLOCK_FORGET * L).fma(v, f1);
            o1 = FloatVector.fromArray(S, rb1, off + LstmNetworkWeights.BLOCK_OUTPUT * L).fma(v, o1);
            i1 = FloatVector.fromArray(S, rb1, off + LstmNetworkWeights.BLOCK_INPUT * L).fma(v, i1);
        }
        if (two) {
            a1.intoArray(p, ga + j1);
            f1.intoArray(p, gf + j1);
            o1.intoArray(p, go + j1);
            i1.intoArray(p, gi + j1);
        }
        a0.intoArray(p, ga + j);
        f0.intoArray(p, gf + j);
        o0.intoArray(p, go + j);
        i0.intoArray(p, gi + j);
    }

    /**
     * The cell update of units {@code [j, j+L)} from their complete gate pre-activations in {@code p}:
     * c = sigmoid(f) c + sigmoid(i) tanh(a); h = sigmoid(o) tanh(c). Sigmoid as 1 / (1 + exp(-x)): the
     * Vector API's EXP and a division cost about half its TANH.
     */
    private static void cell(float[] p, int np, int j, float[] c, float[] h) {
        FloatVector a = FloatVector.fromArray(S, p, LstmNetworkWeights.BLOCK_CANDIDATE * np + j);
        FloatVector f = FloatVector.fromArray(S, p, LstmNetworkWeights.BLOCK_FORGET * np + j);
        FloatVector o = FloatVector.fromArray(S, p, LstmNetworkWeights.BLOCK_OUTPUT * np + j);
        FloatVector i = FloatVector.fromArray(S, p, LstmNetworkWeights.BLOCK_INPUT * np + j);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector cand = a.lanewise(VectorOperators.TANH);
        FloatVector fs = one.div(f.neg().lanewise(VectorOperators.EXP).add(one));
        FloatVector is = one.div(i.neg().lanewise(VectorOperators.EXP).add(one));
        FloatVector os = one.div(o.neg().lanewise(VectorOperators.EXP).add(one));
        FloatVector cell = fs.mul(FloatVector.fromArray(S, c, j)).add(is.mul(cand));
        cell.intoArray(c, j);
        os.mul(cell.lanewise(VectorOperators.TANH)).intoArray(h, j);
    }
}
