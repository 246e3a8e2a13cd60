package io.harstream.core.lstm;

/**
 * {@link LstmNetworkWeights} laid out for the forward kernels: unit counts padded up to a multiple of
 * {@code lanes} (the vector width; 1 for plain Java) with zero weights and biases. A padded unit stays
 * exactly zero through the whole recurrence (its gates see 0: candidate tanh(0) = 0, so c = 0 and
 * h = 0), and a padded dense unit is ReLU(0) = 0, so padding changes no result.
 *
 * <p>Gate columns keep DL4J's block order (candidate, forget, output, input; see
 * {@link LstmNetworkWeights}), each block {@code nPad} wide: gate {@code g} of unit {@code u} is
 * column {@code g * nPad + u}.
 */
final class PackedLstm {

    final int lanes;
    final int channels;
    final int dense;
    final int densePad;
    /** {@code [channels][densePad]}. */
    final float[][] denseW;
    /** {@code [densePad]}. */
    final float[] denseB;
    final Layer[] layers;
    final int maxUnitsPad;
    final int maxGates;

    static final class Layer {
        final int in;
        final int n;
        final int nPad;
        /** {@code [in][4 nPad]}: input projection. */
        final float[][] w;
        /** {@code [4 nPad]}. */
        final float[] b;
        /** {@code [n][4 nPad]}: recurrent weights, one row per previous-output unit. */
        final float[][] rw;
        /**
         * The recurrent weights regrouped per block of {@code lanes} units, so that the four gate
         * vectors a kernel needs for one input unit are adjacent: {@code rwBlocks[jb][k * 4 * lanes + g * lanes + l]}
         * is {@code RW[k][g * n + jb * lanes + l]} (0 for padded units).
         */
        final float[][] rwBlocks;
        /**
         * The input weights cut into blocks of {@code 4 lanes} columns, each flat:
         * {@code wBlocks[cb][k * 4 * lanes + c]} is {@code w[k][cb * 4 * lanes + c]}.
         */
        final float[][] wBlocks;

        Layer(LstmNetworkWeights.Lstm l, int lanes) {
            in = l.inputSize();
            n = l.units();
            nPad = pad(n, lanes);
            int g = 4 * nPad;
            w = new float[in][g];
            for (int k = 0; k < in; k++) {
                w[k] = gateRow(l.w()[k], n, nPad);
            }
            b = gateRow(l.b(), n, nPad);
            rw = new float[n][];
            for (int k = 0; k < n; k++) {
                rw[k] = gateRow(l.rw()[k], n, nPad);
            }
            int width = 4 * lanes;
            wBlocks = new float[g / width][in * width];
            for (int cb = 0; cb < g / width; cb++) {
                for (int k = 0; k < in; k++) {
                    System.arraycopy(w[k], cb * width, wBlocks[cb], k * width, width);
                }
            }
            rwBlocks = new float[nPad / lanes][n * 4 * lanes];
            for (int jb = 0; jb < nPad / lanes; jb++) {
                for (int k = 0; k < n; k++) {
                    for (int gate = 0; gate < 4; gate++) {
                        for (int lane = 0; lane < lanes; lane++) {
                            int u = jb * lanes + lane;
                            rwBlocks[jb][k * 4 * lanes + gate * lanes + lane] = u < n ? l.rw()[k][gate * n + u] : 0f;
                        }
                    }
                }
            }
        }
    }

    PackedLstm(LstmNetworkWeights w, int lanes) {
        this.lanes = lanes;
        channels = w.inputChannels();
        dense = w.denseUnits();
        densePad = pad(dense, lanes);
        denseW = new float[channels][densePad];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(w.denseW()[c], 0, denseW[c], 0, dense);
        }
        denseB = new float[densePad];
        System.arraycopy(w.denseB(), 0, denseB, 0, dense);
        layers = new Layer[w.lstm().size()];
        int maxPad = 0;
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(w.lstm().get(i), lanes);
            maxPad = Math.max(maxPad, layers[i].nPad);
        }
        maxUnitsPad = maxPad;
        maxGates = 4 * maxPad;
    }

    /** Width of a row holding any layer's input: the dense output or any LSTM's output. */
    int maxInputPad() {
        return Math.max(densePad, maxUnitsPad);
    }

    private static float[] gateRow(float[] row, int n, int nPad) {
        float[] out = new float[4 * nPad];
        for (int gate = 0; gate < 4; gate++) {
            System.arraycopy(row, gate * n, out, gate * nPad, n);
        }
        return out;
    }

    static int pad(int n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }
}
