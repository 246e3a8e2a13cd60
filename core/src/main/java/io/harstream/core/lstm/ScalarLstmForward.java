package io.harstream.core.lstm;

/**
 * The plain-Java forward pass, one window at a time, for a JVM without the Vector API: the same arithmetic as
 * {@link VectorLstmForward}, so the same probabilities to the bit. Every sum runs in the vector kernels' order (bias
 * first, then the inputs in index order), each term added with one {@link Math#fma} as the vector kernels' lanewise
 * FMA does, and the cell is {@link ScalarLstmCell}, {@link VectorLstmCell} lane by lane. The inner loops are row
 * updates over contiguous float rows, which C2 auto-vectorizes (FMA included) without changing any result: each
 * element is still computed by its own chain of operations.
 */
final class ScalarLstmForward extends LstmForward {

    private final PackedLstm p;

    ScalarLstmForward(LstmNetworkWeights weights) {
        super(weights);
        this.p = new PackedLstm(weights, 1);
    }

    @Override
    public String description() {
        return "plain Java";
    }

    @Override
    void lastHidden(float[] x, int from, int to, int steps, float[][] h) {
        float[][] in = new float[steps][p.maxInputPad()];
        float[][] gates = new float[steps][p.maxGates];
        float[] c = new float[p.maxUnitsPad];
        float[] zero = new float[p.maxUnitsPad];
        int perWindow = p.channels * steps;
        for (int b = from; b < to; b++) {
            dense(x, b * perWindow, steps, in);
            int inputs = p.dense;
            for (PackedLstm.Layer layer : p.layers) {
                project(in, inputs, layer, gates, steps);
                recur(layer, gates, in, c, zero, steps);
                inputs = layer.n;
            }
            System.arraycopy(in[steps - 1], 0, h[b], 0, h[b].length);
        }
    }

    private void dense(float[] x, int base, int steps, float[][] out) {
        int d = p.dense;
        for (int t = 0; t < steps; t++) {
            float[] o = out[t];
            System.arraycopy(p.denseB, 0, o, 0, d);
            for (int ch = 0; ch < p.channels; ch++) {
                float v = x[base + ch * steps + t];
                float[] w = p.denseW[ch];
                for (int j = 0; j < d; j++) {
                    o[j] = Math.fma(v, w[j], o[j]);
                }
            }
            for (int j = 0; j < d; j++) {
                o[j] = Math.max(0f, o[j]);
            }
        }
    }

    /** {@code gates[t] = b + in[t][0..inputs) . W} for every step. */
    private static void project(float[][] in, int inputs, PackedLstm.Layer layer, float[][] gates, int steps) {
        int g = 4 * layer.nPad;
        for (int t = 0; t < steps; t++) {
            float[] o = gates[t];
            float[] row = in[t];
            System.arraycopy(layer.b, 0, o, 0, g);
            addProducts(o, g, row, inputs, layer.w);
        }
    }

    /** The recurrence; writes each step's output into {@code out[t][0..n)}. */
    private static void recur(PackedLstm.Layer layer, float[][] gates, float[][] out, float[] c, float[] zero,
                              int steps) {
        int n = layer.n;
        int g = 4 * n; // plain Java packs with lanes = 1: nPad == n
        java.util.Arrays.fill(c, 0, n, 0f);
        for (int t = 0; t < steps; t++) {
            float[] a = gates[t];
            float[] hp = t == 0 ? zero : out[t - 1];
            addProducts(a, g, hp, n, layer.rw);
            // The cell state in place, from zero at the first step: the vector kernel's order of operations.
            ScalarLstmCell.update(a, n, c, c, null, out[t], 0);
        }
    }

    /**
     * {@code o[0..g) += sum_k v[k] * rows[k][0..g)} for {@code k < count}, in order of {@code k}, each term by one
     * {@link Math#fma}; four rows per pass so that {@code o} is loaded and stored once per four terms (C2 vectorizes
     * each pass; the four FMAs of an element stay a chain in order of {@code k}).
     */
    private static void addProducts(float[] o, int g, float[] v, int count, float[][] rows) {
        int k = 0;
        for (; k + 4 <= count; k += 4) {
            float v0 = v[k];
            float v1 = v[k + 1];
            float v2 = v[k + 2];
            float v3 = v[k + 3];
            float[] r0 = rows[k];
            float[] r1 = rows[k + 1];
            float[] r2 = rows[k + 2];
            float[] r3 = rows[k + 3];
            for (int j = 0; j < g; j++) {
                o[j] = Math.fma(v3, r3[j], Math.fma(v2, r2[j], Math.fma(v1, r1[j], Math.fma(v0, r0[j], o[j]))));
            }
        }
        for (; k < count; k++) {
            float v0 = v[k];
            float[] r0 = rows[k];
            for (int j = 0; j < g; j++) {
                o[j] = Math.fma(v0, r0[j], o[j]);
            }
        }
    }
}
