package io.harstream.core.lstm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Vector API forward pass. It refers to {@code jdk.incubator.vector}, so {@link VectorSupport}
 * loads it by name, and only when the module is present.
 *
 * <p>Windows go through the network in tiles of {@value #TILE} (the rest one by one). Per tile and
 * layer: the input projection of every time step ({@code [steps x in] . [in x 4n]}, register tiles of
 * 4 steps x 4 vectors), then the recurrence. In the recurrence, for one block of {@code L} units (one
 * vector) the four gate vectors of each of the tile's windows stay in registers (16 accumulators)
 * while the loop runs over the previous output's units; the recurrent weights of that block are
 * stored so that the four gate vectors of one previous unit are adjacent
 * ({@link PackedLstm.Layer#rwBlocks}). The cell update follows as soon as a block's gates are
 * complete ({@link VectorLstmCell}: a rational tanh in plain arithmetic, sigmoid from it).
 *
 * <p>A batch too small to split over threads by windows can run on two threads by layers
 * ({@link #lastHiddenPipelined}): the calling thread computes the dense layer and the first half of the
 * LSTM layers, a pool thread the second half, {@value #CHUNK} time steps behind it. With two layers of the
 * same size the halves cost about the same, so the two threads overlap for all but the first chunk and the
 * hand-overs (BENCHMARKS.md#inference-zen4). The arithmetic, and so every result,
 * is the same on either path.
 *
 * <p>Two rules keep C2's code fast (each measured): no method takes or returns a vector (C2 inlines
 * Vector API code only up to its node budget, and a vector crossing a call that was not inlined is
 * boxed, which costs far more than the arithmetic), and every hot loop has one induction variable with
 * array offsets that are constant multiples of it (C2 then hoists the bounds checks out of the loop).
 */
final class VectorLstmForward extends LstmForward {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Windows per recurrence tile; {@link LstmForward#SPLIT_GRAIN} is a multiple of it. */
    static final int TILE = 4;
    /**
     * Time steps the second thread of a pipelined call runs behind the first: small, so that it starts
     * early, and still far more work than the hand-over of a step count.
     */
    static final int CHUNK = 8;

    private final PackedLstm p;
    /** The output before the first step, read-only: shared by every call and thread. */
    private final float[] zeros;

    VectorLstmForward(LstmNetworkWeights weights) {
        super(weights);
        this.p = new PackedLstm(weights, L);
        this.zeros = new float[p.maxUnitsPad];
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

        Scratch(PackedLstm p, int windows, int steps) {
            gates = new float[windows][steps][p.maxGates];
            seq = new float[windows][steps][p.maxInputPad()];
            c = new float[windows][p.maxUnitsPad];
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
            dense(x, (first + w) * perWindow, steps, 0, steps, s.seq[w]);
        }
        int inputs = p.dense;
        for (PackedLstm.Layer layer : p.layers) {
            // The projection reads all of s.seq before the recurrence overwrites it with this layer's output.
            for (int w = 0; w < m; w++) {
                project(s.seq[w], inputs, layer.wBlocks, layer.b, s.gates[w], 0, steps);
            }
            if (m == 4) {
                recur4(layer, 0, steps, s.gates, s.seq, 0, s.c, zeros);
            } else {
                for (int w = 0; w < m; w++) {
                    recur1(layer, 0, steps, s.gates[w], s.seq[w], s.c[w], zeros);
                }
            }
            inputs = layer.n;
        }
        for (int w = 0; w < m; w++) {
            System.arraycopy(s.seq[w][steps - 1], 0, h[first + w], 0, h[first + w].length);
        }
    }

    @Override
    int pipelineThreads() {
        return p.layers.length >= 2 ? 2 : 1;
    }

    /**
     * Windows {@code [from, to)} on two threads, split by layers: this thread runs the dense layer and LSTM
     * layers {@code [0, split)}, a task on {@code executor} layers {@code [split, layers)}, both tile by tile
     * in the same order and {@value #CHUNK} steps at a time, the second waiting for the first's progress.
     * The first thread never waits for the second, so the call cannot deadlock whatever the executor does.
     */
    @Override
    void lastHiddenPipelined(float[] x, int from, int to, int steps, float[][] h, ExecutorService executor) {
        if (pipelineThreads() < 2) {
            lastHidden(x, from, to, steps, h);
            return;
        }
        Pipeline run = new Pipeline(x, from, to, steps, p.layers.length / 2);
        Future<?> second = executor.submit(() -> run.stage(run.split, p.layers.length));
        try {
            run.stage(0, run.split);
            // The second stage ends a chunk or so after the first: spin for it rather than park, since waking a
            // parked thread costs a sizeable part of a pipelined window on a virtual machine (see
            // BENCHMARKS.md#inference-zen4).
            for (int spins = 0; !second.isDone() && spins < 20_000; spins++) {
                Thread.onSpinWait();
            }
            second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during inference", e);
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } finally {
            run.aborted = true; // a no-op after success; else the second stage stops waiting
            second.cancel(false);
        }
        float[][][] last = run.seq[p.layers.length - 1];
        for (int b = from; b < to; b++) {
            System.arraycopy(last[b - from][steps - 1], 0, h[b], 0, h[b].length);
        }
    }

    /** One pipelined call: the layer outputs both threads share, and how far the first thread has got. */
    private final class Pipeline {
        final float[] x;
        final int from;
        final int to;
        final int steps;
        final int split;
        /** {@code [layer][window - from][step][nPad]}; layer {@code split - 1} is the one handed over. */
        final float[][][][] seq;
        /**
         * Steps of layer {@code split - 1} done, counted over the tiles in order: tile {@code i} (0-based) at
         * step {@code t} is {@code i * steps + t}. The volatile write after the outputs publishes them.
         */
        final AtomicInteger handedOver = new AtomicInteger();
        volatile boolean aborted;

        Pipeline(float[] x, int from, int to, int steps, int split) {
            this.x = x;
            this.from = from;
            this.to = to;
            this.steps = steps;
            this.split = split;
            seq = new float[p.layers.length][][][];
            for (int l = 0; l < seq.length; l++) {
                seq[l] = new float[to - from][steps][p.layers[l].nPad];
            }
        }

        /** Layers {@code [lo, hi)} of every window, tiles of {@value #TILE} first, then one by one. */
        void stage(int lo, int hi) {
            int tiles = 0;
            int b = from;
            for (; b + TILE <= to; b += TILE) {
                tile(b, TILE, tiles++, lo, hi);
            }
            for (; b < to; b++) {
                tile(b, 1, tiles++, lo, hi);
            }
        }

        private void tile(int first, int m, int index, int lo, int hi) {
            int chunk = Math.min(CHUNK, steps);
            int w0 = first - from;
            float[][][] dense = lo == 0 ? new float[m][steps][p.densePad] : null;
            float[][][] gates = new float[m][chunk][p.maxGates];
            float[][][] c = new float[hi - lo][m][p.maxUnitsPad];
            int perWindow = p.channels * steps;
            for (int t0 = 0; t0 < steps; t0 += chunk) {
                int t1 = Math.min(steps, t0 + chunk);
                if (lo == 0) {
                    for (int w = 0; w < m; w++) {
                        dense(x, (first + w) * perWindow, steps, t0, t1, dense[w]);
                    }
                } else {
                    awaitHandOver(index * steps + t1);
                }
                for (int l = lo; l < hi; l++) {
                    PackedLstm.Layer layer = p.layers[l];
                    int inputs = l == 0 ? p.dense : p.layers[l - 1].n;
                    for (int w = 0; w < m; w++) {
                        float[][] in = l == 0 ? dense[w] : seq[l - 1][w0 + w];
                        project(in, inputs, layer.wBlocks, layer.b, gates[w], t0, t1);
                    }
                    if (m == 4) {
                        recur4(layer, t0, t1, gates, seq[l], w0, c[l - lo], zeros);
                    } else {
                        recur1(layer, t0, t1, gates[0], seq[l][w0], c[l - lo][0], zeros);
                    }
                }
                if (hi == split) {
                    handedOver.set(index * steps + t1);
                }
            }
        }

        /** Spins briefly, then yields: the wait is normally a few microseconds, the first thread's next chunk. */
        private void awaitHandOver(int needed) {
            int spins = 0;
            while (handedOver.get() < needed) {
                if (aborted) {
                    throw new CancellationException("the first stage of a pipelined inference failed");
                }
                if (++spins < 1_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** ReLU(b + x_t . W) for steps {@code [from, to)}, into {@code out[t][0..densePad)}. */
    private void dense(float[] x, int base, int steps, int from, int to, float[][] out) {
        for (int t = from; t < to; t++) {
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
     * {@code out[t - from] = b + in[t][0..inputs) . W} for steps {@code [from, to)}; 4 steps x 4 vectors per
     * register tile, the weights of one tile's columns read from one flat block ({@link PackedLstm.Layer#wBlocks}).
     * Each output element is summed in the same order whatever the range, so chunking changes no result.
     */
    private static void project(float[][] in, int inputs, float[][] wBlocks, float[] bias, float[][] out, int from,
                                int to) {
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
            int t = from;
            for (; t + 4 <= to; t += 4) {
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
                float[] o0 = out[t - from];
                float[] o1 = out[t - from + 1];
                float[] o2 = out[t - from + 2];
                float[] o3 = out[t - from + 3];
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
            for (; t < to; t++) {
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
                float[] o0 = out[t - from];
                a0.intoArray(o0, col);
                a1.intoArray(o0, c1);
                a2.intoArray(o0, c2);
                a3.intoArray(o0, c3);
            }
        }
    }

    /**
     * The recurrence for a tile of 4 windows, {@code seq[w0..w0+3]}, over steps {@code [from, to)}: step t's
     * output goes to {@code seq[w][t]}, its gate pre-activations are {@code gates[w - w0][t - from]}, the cell
     * states {@code c[w - w0]} start at zero when {@code from} is 0 and carry over between ranges. The hot
     * loops are in {@link #gates4} and {@link #cell}, whose signatures carry no vectors: however C2 decides
     * to inline them, no vector is ever boxed.
     */
    private static void recur4(PackedLstm.Layer layer, int from, int to, float[][][] gates, float[][][] seq, int w0,
                               float[][] c, float[] zero) {
        int np = layer.nPad;
        float[][] q0 = gates[0], q1 = gates[1], q2 = gates[2], q3 = gates[3];
        float[][] s0 = seq[w0], s1 = seq[w0 + 1], s2 = seq[w0 + 2], s3 = seq[w0 + 3];
        float[] c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
        if (from == 0) {
            Arrays.fill(c0, 0f);
            Arrays.fill(c1, 0f);
            Arrays.fill(c2, 0f);
            Arrays.fill(c3, 0f);
        }
        for (int t = from; t < to; t++) {
            float[] h0 = t == 0 ? zero : s0[t - 1];
            float[] h1 = t == 0 ? zero : s1[t - 1];
            float[] h2 = t == 0 ? zero : s2[t - 1];
            float[] h3 = t == 0 ? zero : s3[t - 1];
            float[] p0 = q0[t - from], p1 = q1[t - from], p2 = q2[t - from], p3 = q3[t - from];
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
     * depend on whether it went through a tile or alone, nor on the batch it came in. Steps {@code [from, to)}
     * as in {@link #recur4}.
     */
    private static void recur1(PackedLstm.Layer layer, int from, int to, float[][] gates, float[][] seq, float[] c,
                               float[] zero) {
        int np = layer.nPad;
        float[][] blocks = layer.rwBlocks;
        if (from == 0) {
            Arrays.fill(c, 0f);
        }
        for (int t = from; t < to; t++) {
            float[] hp = t == 0 ? zero : seq[t - 1];
            float[] pt = gates[t - from];
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
     * The cell update of units {@code [j, j+L)} from their complete gate pre-activations in {@code p}, the cell
     * state {@code c} in place ({@link VectorLstmCell}; this step's gate row is not read again).
     */
    private static void cell(float[] p, int np, int j, float[] c, float[] h) {
        VectorLstmCell.update(p, LstmNetworkWeights.BLOCK_CANDIDATE * np + j, LstmNetworkWeights.BLOCK_FORGET * np + j,
                LstmNetworkWeights.BLOCK_OUTPUT * np + j, LstmNetworkWeights.BLOCK_INPUT * np + j, c, c, null, h, j);
    }
}
