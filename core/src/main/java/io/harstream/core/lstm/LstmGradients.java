package io.harstream.core.lstm;

import java.util.Arrays;

/**
 * Gradient accumulators with the shape of {@link LstmNetworkWeights}: the dense layer, each LSTM layer's
 * {@code W [in][4n]}, {@code RW [n][4n]}, {@code b [4n]} in DL4J's gate-column order, and the softmax layer.
 * Sums over windows, not means: DL4J's backward pass sums too and its updater divides by the batch.
 */
public final class LstmGradients {

    final float[][] denseW;
    final float[] denseB;
    final float[][][] w;
    final float[][][] rw;
    final float[][] b;
    final float[][] outW;
    final float[] outB;

    public LstmGradients(LstmNetworkWeights shape) {
        denseW = new float[shape.inputChannels()][shape.denseUnits()];
        denseB = new float[shape.denseUnits()];
        int layers = shape.lstm().size();
        w = new float[layers][][];
        rw = new float[layers][][];
        b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            LstmNetworkWeights.Lstm lstm = shape.lstm().get(l);
            w[l] = new float[lstm.inputSize()][4 * lstm.units()];
            rw[l] = new float[lstm.units()][4 * lstm.units()];
            b[l] = new float[4 * lstm.units()];
        }
        outW = new float[shape.outW().length][shape.classes()];
        outB = new float[shape.classes()];
    }

    public void clear() {
        forEachRow((mine, unused) -> Arrays.fill(mine, 0f), this);
    }

    /** {@code this += other}. */
    public void add(LstmGradients other) {
        forEachRow((mine, theirs) -> {
            for (int j = 0; j < mine.length; j++) {
                mine[j] += theirs[j];
            }
        }, other);
    }

    /** Calls {@code action} with each row of this and the same row of {@code other}, in a fixed order. */
    public void forEachRow(RowAction action, LstmGradients other) {
        rows(action, denseW, other.denseW);
        action.apply(denseB, other.denseB);
        for (int l = 0; l < w.length; l++) {
            rows(action, w[l], other.w[l]);
            rows(action, rw[l], other.rw[l]);
            action.apply(b[l], other.b[l]);
        }
        rows(action, outW, other.outW);
        action.apply(outB, other.outB);
    }

    public interface RowAction {
        void apply(float[] mine, float[] theirs);
    }

    private static void rows(RowAction action, float[][] mine, float[][] theirs) {
        for (int r = 0; r < mine.length; r++) {
            action.apply(mine[r], theirs[r]);
        }
    }
}
