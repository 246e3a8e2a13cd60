package io.harstream.core.model.inference;

/**
 * The plain-Java forward pass, one window at a time: every inner loop is a row update
 * {@code out[j] += v0 * row0[j] + ... + v3 * row3[j]} over contiguous float rows, which C2
 * auto-vectorizes; activations use {@link Math#exp} in double.
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
                    o[j] += v * w[j];
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
            float[] h = out[t];
            for (int u = 0; u < n; u++) {
                float cand = tanh(a[LstmNetworkWeights.BLOCK_CANDIDATE * n + u]);
                float f = sigmoid(a[LstmNetworkWeights.BLOCK_FORGET * n + u]);
                float o = sigmoid(a[LstmNetworkWeights.BLOCK_OUTPUT * n + u]);
                float i = sigmoid(a[LstmNetworkWeights.BLOCK_INPUT * n + u]);
                float cu = f * c[u] + i * cand;
                c[u] = cu;
                h[u] = o * tanh(cu);
            }
        }
    }

    /**
     * {@code o[0..g) += sum_k v[k] * rows[k][0..g)} for {@code k < count}, four rows per pass so that
     * {@code o} is loaded and stored once per four multiply-adds (C2 vectorizes each pass).
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
                o[j] += v0 * r0[j] + v1 * r1[j] + v2 * r2[j] + v3 * r3[j];
            }
        }
        for (; k < count; k++) {
            float v0 = v[k];
            float[] r0 = rows[k];
            for (int j = 0; j < g; j++) {
                o[j] += v0 * r0[j];
            }
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** tanh through the {@link Math#exp} intrinsic ({@link Math#tanh} is not one); absolute error ~1e-16. */
    static float tanh(float x) {
        double e = Math.exp(2.0 * x);
        return (float) (1.0 - 2.0 / (e + 1.0));
    }
}
