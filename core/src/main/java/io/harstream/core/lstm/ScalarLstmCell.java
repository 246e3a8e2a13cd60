package io.harstream.core.lstm;

import static io.harstream.core.lstm.LstmNetworkWeights.BLOCK_CANDIDATE;
import static io.harstream.core.lstm.LstmNetworkWeights.BLOCK_FORGET;
import static io.harstream.core.lstm.LstmNetworkWeights.BLOCK_INPUT;
import static io.harstream.core.lstm.LstmNetworkWeights.BLOCK_OUTPUT;

/**
 * The LSTM cell update in plain Java, one unit at a time: the plain-Java forward pass ({@link ScalarLstmForward}),
 * the backward pass's plain-Java kernels and the units past the last full vector of {@link VectorRowKernels} use it.
 *
 * <p>It is {@link VectorLstmCell} lane by lane: tanh as {@link RationalTanh#tanh}, sigmoid(x) = (1 + tanh(x/2)) / 2
 * written as {@code fma(tanh(x * 0.5), 0.5, 0.5)}, {@code c = fma(s(f), cPrev, s(i) tanh(a))},
 * {@code h = s(o) tanh(c)}: every operation the vector kernel's own, in the same order, so the two give the same
 * bits for the same inputs ({@code RowKernelsTest} and {@code ScalarVectorAgreementTest} check it).
 */
public final class ScalarLstmCell {

    private ScalarLstmCell() {
    }

    /**
     * Units {@code [from, n)} of one step, from the gate pre-activations in {@code z} ({@code [4n]}, DL4J's block
     * order: a, f, o, i, see {@link LstmNetworkWeights}): replaces them in place by {@code tanh(a), s(f), s(o), s(i)}
     * (the trainer's backward pass reads them) and writes {@code c}, {@code tanh(c)} to {@code tc} unless it is null,
     * and {@code h}. {@code cPrev} null is a zero state; it may be {@code c} itself.
     */
    public static void update(float[] z, int n, float[] cPrev, float[] c, float[] tc, float[] h, int from) {
        for (int j = from; j < n; j++) {
            float a = RationalTanh.tanh(z[BLOCK_CANDIDATE * n + j]);
            float f = sigmoid(z[BLOCK_FORGET * n + j]);
            float o = sigmoid(z[BLOCK_OUTPUT * n + j]);
            float i = sigmoid(z[BLOCK_INPUT * n + j]);
            z[BLOCK_CANDIDATE * n + j] = a;
            z[BLOCK_FORGET * n + j] = f;
            z[BLOCK_OUTPUT * n + j] = o;
            z[BLOCK_INPUT * n + j] = i;
            float cj = i * a;
            if (cPrev != null) {
                cj = Math.fma(f, cPrev[j], cj);
            }
            c[j] = cj;
            float tcj = RationalTanh.tanh(cj);
            if (tc != null) {
                tc[j] = tcj;
            }
            h[j] = o * tcj;
        }
    }

    /** The kernels' sigmoid, (1 + tanh(x/2)) / 2. */
    static float sigmoid(float x) {
        return Math.fma(RationalTanh.tanh(x * 0.5f), 0.5f, 0.5f);
    }
}
