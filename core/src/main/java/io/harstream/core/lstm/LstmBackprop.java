package io.harstream.core.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Forward and backward pass of one window through the network {@link io.harstream.core.model.HarNetwork}
 * builds (dense ReLU on every step, stacked LSTMs, softmax on the last step, cross-entropy), adding the window's
 * gradient into a {@link LstmGradients}. It computes exactly what DL4J's {@code computeGradientAndScore} does
 * for that shape, without DL4J's cost of many thousands of small native ops per mini-batch: the matrix work goes
 * through the operations of {@link RowKernels} (the Vector API where available).
 *
 * <p>The LSTM is DL4J's (no peepholes, gate columns a, f, o, i; see {@link LstmNetworkWeights}):
 * <pre>
 *   z_t = b + x_t W + h_(t-1) RW      a = tanh(z_a)  f = s(z_f)  o = s(z_o)  i = s(z_i)
 *   c_t = f c_(t-1) + i a             h_t = o tanh(c_t)
 * </pre>
 * and its backward pass, from {@code dh_t} (from the layer above plus {@code dz_(t+1) RW^T}) and the cell
 * gradient carried back from {@code t+1}:
 * <pre>
 *   dz_o = dh tanh(c) o(1-o)          dc = dh o (1 - tanh(c)^2) + dc_(t+1) f_(t+1)
 *   dz_a = dc i (1-a^2)    dz_i = dc a i(1-i)    dz_f = dc c_(t-1) f(1-f)
 * </pre>
 * Dropout is DL4J's inverted dropout on a layer's input, each element of each step kept with probability
 * {@code keep} and scaled by {@code 1/keep}; the masks come from the {@code SplittableRandom} the caller
 * passes per window (so a step's gradient does not depend on how windows are dealt to threads).
 *
 * <p>One instance per thread: it holds the scratch of one window's activations.
 */
public final class LstmBackprop {

    /** What this path is called in logs and refusals ({@link UnsupportedNetworkException}). */
    public static final String NAME = "harstream's backprop";

    /**
     * The parameters of one optimizer step, read-only and shared by all threads: {@link LstmNetworkWeights}
     * plus the transposes the backward pass multiplies by ({@code [4n][in]}, {@code [4n][n]}).
     */
    public record Step(LstmNetworkWeights weights, float[][][] wT, float[][][] rwT) {

        public static Step of(LstmNetworkWeights weights) {
            List<LstmNetworkWeights.Lstm> lstm = weights.lstm();
            float[][][] wT = new float[lstm.size()][][];
            float[][][] rwT = new float[lstm.size()][][];
            for (int l = 0; l < lstm.size(); l++) {
                wT[l] = transpose(lstm.get(l).w());
                rwT[l] = transpose(lstm.get(l).rw());
            }
            return new Step(weights, wT, rwT);
        }

        private static float[][] transpose(float[][] m) {
            float[][] t = new float[m[0].length][m.length];
            for (int r = 0; r < m.length; r++) {
                for (int c = 0; c < m[r].length; c++) {
                    t[c][r] = m[r][c];
                }
            }
            return t;
        }
    }

    private final RowKernels kernels;
    private final int channels;
    private final int steps;
    private final int denseUnits;
    private final int classes;
    private final int layers;
    /** Keep probability of each LSTM layer's input, 1 = no dropout. */
    private final float[] keep;
    private final float outputKeep;

    // Activations of the current window.
    private final float[][] input;          // [T][C] the window, time-major
    private final float[][] dense;          // [T][D], after ReLU
    private final float[][][] mask;         // per layer [T][in] dropout scale (0 or 1/keep), null without dropout
    private final float[][][] dropped;      // per layer [T][in] the input after dropout, null without dropout
    private final float[][][] gates;        // per layer [T][4n] a, f, o, i after their activations
    private final float[][][] cell;         // per layer [T][n]
    private final float[][][] cellTanh;     // per layer [T][n]
    private final float[][][] out;          // per layer [T][n] h
    private final float[] outMask;          // [n] of the last layer, null without dropout
    private final float[] outInput;         // [n] the softmax layer's input after dropout
    private final float[] probabilities;    // [K]

    // Backward scratch.
    private final float[][] dz;             // [T][4n]
    private final float[][] dInput;         // [T][max in]: gradient of the current layer's (dropped) input
    private final float[][] dAbove;         // [T][max(in, n)]: gradient of the current layer's output from above
    private final float[] dCellNext;        // [max n]
    private final float[] dRecurrent;       // [max n]
    private final float[] dOutInput;        // [n]

    public LstmBackprop(LstmNetworkWeights shape, int steps, float[] lstmInputKeep, float outputKeep) {
        this(shape, steps, lstmInputKeep, outputKeep, RowKernels.best());
    }

    LstmBackprop(LstmNetworkWeights shape, int steps, float[] lstmInputKeep, float outputKeep, RowKernels kernels) {
        this.kernels = kernels;
        List<LstmNetworkWeights.Lstm> lstm = shape.lstm();
        this.channels = shape.inputChannels();
        this.steps = steps;
        this.denseUnits = shape.denseUnits();
        this.classes = shape.classes();
        this.layers = lstm.size();
        if (lstmInputKeep.length != layers) {
            throw new IllegalArgumentException(layers + " LSTM layers but " + lstmInputKeep.length + " keep values");
        }
        this.keep = lstmInputKeep.clone();
        this.outputKeep = outputKeep;
        input = new float[steps][channels];
        dense = new float[steps][denseUnits];
        mask = new float[layers][][];
        dropped = new float[layers][][];
        gates = new float[layers][][];
        cell = new float[layers][][];
        cellTanh = new float[layers][][];
        out = new float[layers][][];
        int maxIn = 0;
        int maxUnits = 0;
        for (int l = 0; l < layers; l++) {
            int in = lstm.get(l).inputSize();
            int n = lstm.get(l).units();
            if (keep[l] < 1f) {
                mask[l] = new float[steps][in];
                dropped[l] = new float[steps][in];
            }
            gates[l] = new float[steps][4 * n];
            cell[l] = new float[steps][n];
            cellTanh[l] = new float[steps][n];
            out[l] = new float[steps][n];
            maxIn = Math.max(maxIn, in);
            maxUnits = Math.max(maxUnits, n);
        }
        int last = lstm.get(layers - 1).units();
        outMask = outputKeep < 1f ? new float[last] : null;
        outInput = new float[last];
        probabilities = new float[classes];
        dz = new float[steps][4 * maxUnits];
        dInput = new float[steps][maxIn];
        dAbove = new float[steps][Math.max(maxIn, maxUnits)];
        dCellNext = new float[maxUnits];
        dRecurrent = new float[maxUnits];
        dOutInput = new float[last];
    }

    /**
     * Adds the gradient of window {@code x[base ..)} ({@code [channel][time]}, the mini-batch's NCW layout) with
     * true class {@code label} to {@code grad} and returns its cross-entropy loss.
     */
    public double window(Step step, float[] x, int base, int label, SplittableRandom random, LstmGradients grad) {
        LstmNetworkWeights w = step.weights();
        forwardDense(w, x, base);
        float[][] input = dense;
        for (int l = 0; l < layers; l++) {
            input = forwardLstm(w.lstm().get(l), l, input, random);
        }
        double loss = forwardSoftmax(w, out[layers - 1][steps - 1], label, random);

        backwardSoftmax(w, label, grad);
        // The top layer's output gradient is nonzero only at the last step (LastTimeStep).
        for (float[] row : dAbove) {
            Arrays.fill(row, 0f);
        }
        System.arraycopy(dOutInput, 0, dAbove[steps - 1], 0, dOutInput.length);
        for (int l = layers - 1; l >= 0; l--) {
            LstmNetworkWeights.Lstm lstm = w.lstm().get(l);
            backwardLstm(lstm, step.wT()[l], step.rwT()[l], l, grad);
            // dInput is the gradient of the layer's dropped input: undo the dropout into dAbove for the layer below.
            int in = lstm.inputSize();
            for (int t = 0; t < steps; t++) {
                float[] d = dInput[t];
                float[] below = dAbove[t];
                if (mask[l] == null) {
                    System.arraycopy(d, 0, below, 0, in);
                } else {
                    float[] m = mask[l][t];
                    for (int k = 0; k < in; k++) {
                        below[k] = d[k] * m[k];
                    }
                }
            }
        }
        backwardDense(grad);
        return loss;
    }

    private void forwardDense(LstmNetworkWeights w, float[] x, int base) {
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < channels; c++) {
                input[t][c] = x[base + c * steps + t];
            }
        }
        for (int t = 0; t < steps; t++) {
            System.arraycopy(w.denseB(), 0, dense[t], 0, denseUnits);
        }
        kernels.addProducts(dense, denseUnits, input, w.denseW(), channels, 0, steps);
        for (int t = 0; t < steps; t++) {
            float[] row = dense[t];
            for (int j = 0; j < denseUnits; j++) {
                row[j] = Math.max(row[j], 0f);
            }
        }
    }

    /** Runs layer {@code l} over the whole window; returns its output sequence. */
    private float[][] forwardLstm(LstmNetworkWeights.Lstm lstm, int l, float[][] input, SplittableRandom random) {
        int in = lstm.inputSize();
        int n = lstm.units();
        float[][] x = input;
        if (mask[l] != null) {
            dropout(input, mask[l], dropped[l], in, keep[l], random);
            x = dropped[l];
        }
        float[][] g = gates[l];
        float[][] c = cell[l];
        float[][] tc = cellTanh[l];
        float[][] h = out[l];
        float[][] wIn = lstm.w();
        float[][] wRec = lstm.rw();
        // The input projections of all steps first (no step depends on another), then the recurrence.
        for (int t = 0; t < steps; t++) {
            System.arraycopy(lstm.b(), 0, g[t], 0, 4 * n);
        }
        kernels.addProducts(g, 4 * n, x, wIn, in, 0, steps);
        for (int t = 0; t < steps; t++) {
            float[] z = g[t];
            if (t > 0) {
                kernels.addCombination(z, 4 * n, wRec, h[t - 1], n);
            }
            kernels.cell(z, n, t > 0 ? c[t - 1] : null, c[t], tc[t], h[t]);
        }
        return h;
    }

    private double forwardSoftmax(LstmNetworkWeights w, float[] last, int label, SplittableRandom random) {
        int n = last.length;
        if (outMask != null) {
            for (int k = 0; k < n; k++) {
                outMask[k] = random.nextDouble() < outputKeep ? 1f / outputKeep : 0f;
                outInput[k] = last[k] * outMask[k];
            }
        } else {
            System.arraycopy(last, 0, outInput, 0, n);
        }
        float[][] wo = w.outW();
        System.arraycopy(w.outB(), 0, probabilities, 0, classes);
        for (int k = 0; k < n; k++) {
            axpy(probabilities, wo[k], outInput[k], classes);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : probabilities) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            double e = Math.exp(probabilities[j] - max);
            probabilities[j] = (float) e;
            sum += e;
        }
        for (int j = 0; j < classes; j++) {
            probabilities[j] = (float) (probabilities[j] / sum);
        }
        // DL4J's MCXENT clips probabilities at 1e-10 before the log.
        return -Math.log(Math.max(probabilities[label], 1e-10));
    }

    /** Softmax + cross-entropy: dlogits = p - y. Fills {@link #dOutInput} with the gradient of the last h. */
    private void backwardSoftmax(LstmNetworkWeights w, int label, LstmGradients grad) {
        float[] dLogits = probabilities; // no longer needed as probabilities
        dLogits[label] -= 1f;
        for (int k = 0; k < outInput.length; k++) {
            axpy(grad.outW[k], dLogits, outInput[k], classes);
        }
        axpy(grad.outB, dLogits, 1f, classes);
        float[][] wo = w.outW();
        for (int k = 0; k < outInput.length; k++) {
            float s = 0f;
            for (int j = 0; j < classes; j++) {
                s += wo[k][j] * dLogits[j];
            }
            dOutInput[k] = outMask == null ? s : s * outMask[k];
        }
    }

    /**
     * Back through time for layer {@code l}, from the gradient of its outputs in {@link #dAbove}: adds to its
     * W, RW and b gradients and leaves the gradient of its (dropped) input in {@link #dInput}.
     */
    private void backwardLstm(LstmNetworkWeights.Lstm lstm, float[][] wT, float[][] rwT, int l, LstmGradients grad) {
        int in = lstm.inputSize();
        int n = lstm.units();
        float[][] g = gates[l];
        float[][] c = cell[l];
        float[][] tc = cellTanh[l];
        float[][] h = out[l];
        float[][] x = mask[l] == null ? (l == 0 ? dense : out[l - 1]) : dropped[l];
        Arrays.fill(dCellNext, 0, n, 0f);
        Arrays.fill(dRecurrent, 0, n, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            float[] gt = g[t];
            float[] tct = tc[t];
            float[] above = dAbove[t];
            float[] d = dz[t];
            for (int j = 0; j < n; j++) {
                float dh = above[j] + dRecurrent[j];
                float a = gt[j];
                float f = gt[n + j];
                float o = gt[2 * n + j];
                float i = gt[3 * n + j];
                float tcj = tct[j];
                d[2 * n + j] = dh * tcj * o * (1f - o);
                float dc = dh * o * (1f - tcj * tcj) + dCellNext[j];
                d[j] = dc * i * (1f - a * a);
                d[3 * n + j] = dc * a * i * (1f - i);
                d[n + j] = t > 0 ? dc * c[t - 1][j] * f * (1f - f) : 0f;
                dCellNext[j] = dc * f;
            }
            // dh_(t-1) from the recurrence: dz_t RW^T.
            Arrays.fill(dRecurrent, 0, n, 0f);
            if (t > 0) {
                kernels.addCombination(dRecurrent, n, rwT, d, 4 * n);
            }
        }
        // Weight gradients (sum over steps of input^T dz) and the input gradient, now that every dz is known.
        float[] gb = grad.b[l];
        for (int t = 0; t < steps; t++) {
            axpy(gb, dz[t], 1f, 4 * n);
        }
        kernels.addOuterProducts(grad.w[l], in, 4 * n, x, 0, dz, 0, steps);
        kernels.addOuterProducts(grad.rw[l], n, 4 * n, h, -1, dz, 1, steps);
        for (int t = 0; t < steps; t++) {
            Arrays.fill(dInput[t], 0, in, 0f);
        }
        kernels.addProducts(dInput, in, dz, wT, 4 * n, 0, steps);
    }

    /** ReLU dense layer on every step: its input gradient is dropped (the input is data). */
    private void backwardDense(LstmGradients grad) {
        for (int t = 0; t < steps; t++) {
            float[] d = dAbove[t];
            float[] act = dense[t];
            for (int j = 0; j < denseUnits; j++) {
                if (act[j] <= 0f) {
                    d[j] = 0f;
                }
            }
            axpy(grad.denseB, d, 1f, denseUnits);
        }
        kernels.addOuterProducts(grad.denseW, channels, denseUnits, input, 0, dAbove, 0, steps);
    }

    private void dropout(float[][] input, float[][] m, float[][] result, int in, float keepProbability,
                         SplittableRandom random) {
        float scale = 1f / keepProbability;
        for (int t = 0; t < steps; t++) {
            float[] mt = m[t];
            float[] it = input[t];
            float[] rt = result[t];
            for (int k = 0; k < in; k++) {
                mt[k] = random.nextDouble() < keepProbability ? scale : 0f;
                rt[k] = it[k] * mt[k];
            }
        }
    }

    /** {@code y[0..n) += a * x[0..n)}, for the bias gradients and the small softmax layer. */
    static void axpy(float[] y, float[] x, float a, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }
}
