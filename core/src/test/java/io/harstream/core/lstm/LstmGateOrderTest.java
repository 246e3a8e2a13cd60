package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Pins the order of DL4J's LSTM gate columns by experiment, independently of the fast kernels: a
 * textbook LSTM written here in double precision, reading the four column blocks in a given order,
 * reproduces DL4J's output only with the order {@link LstmNetworkWeights} documents (candidate,
 * forget, output, input), and every one of the 23 other orders is far off.
 */
class LstmGateOrderTest {

    private static final int CHANNELS = 3;
    private static final int STEPS = 30;
    private static final int BATCH = 8;

    @Test
    void dl4jColumnsAreCandidateForgetOutputInput() {
        MultiLayerNetwork net = TestNetworks.random(CHANNELS, 8, 8, 2, 4, STEPS, 11, 0.8);
        LstmNetworkWeights w = LstmNetworkWeights.of(net);
        float[] x = TestNetworks.features(BATCH, CHANNELS, STEPS, 3);
        float[][] dl4j = TestNetworks.dl4j(net, x, BATCH, CHANNELS, STEPS);

        for (int[] blockOfRole : permutations()) {
            double diff = TestNetworks.maxAbsDiff(reference(w, x, blockOfRole), dl4j);
            boolean isDocumented = blockOfRole[0] == LstmNetworkWeights.BLOCK_CANDIDATE
                    && blockOfRole[1] == LstmNetworkWeights.BLOCK_FORGET
                    && blockOfRole[2] == LstmNetworkWeights.BLOCK_OUTPUT
                    && blockOfRole[3] == LstmNetworkWeights.BLOCK_INPUT;
            if (isDocumented) {
                assertThat(diff).as("documented order").isLessThan(1e-6);
            } else {
                assertThat(diff).as("order %s", java.util.Arrays.toString(blockOfRole)).isGreaterThan(1e-3);
            }
        }
    }

    /**
     * Softmax output of a plain LSTM in double precision; {@code blockOfRole[r]} is the column block
     * holding role r (0 candidate a with tanh, 1 forget f, 2 output o, 3 input i; all gates sigmoid):
     * c = f c + i a, h = o tanh(c).
     */
    static float[][] reference(LstmNetworkWeights w, float[] x, int[] blockOfRole) {
        float[][] out = new float[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            double[][] seq = new double[STEPS][];
            for (int t = 0; t < STEPS; t++) {
                double[] d = new double[w.denseUnits()];
                for (int j = 0; j < d.length; j++) {
                    double s = w.denseB()[j];
                    for (int c = 0; c < CHANNELS; c++) {
                        s += x[(b * CHANNELS + c) * STEPS + t] * (double) w.denseW()[c][j];
                    }
                    d[j] = Math.max(0, s);
                }
                seq[t] = d;
            }
            for (LstmNetworkWeights.Lstm l : w.lstm()) {
                int n = l.units();
                double[] h = new double[n];
                double[] cell = new double[n];
                double[][] next = new double[STEPS][];
                for (int t = 0; t < STEPS; t++) {
                    double[] z = new double[4 * n];
                    for (int j = 0; j < 4 * n; j++) {
                        double s = l.b()[j];
                        for (int k = 0; k < l.inputSize(); k++) {
                            s += seq[t][k] * l.w()[k][j];
                        }
                        for (int k = 0; k < n; k++) {
                            s += h[k] * l.rw()[k][j];
                        }
                        z[j] = s;
                    }
                    double[] hn = new double[n];
                    for (int u = 0; u < n; u++) {
                        double a = Math.tanh(z[blockOfRole[0] * n + u]);
                        double f = sigmoid(z[blockOfRole[1] * n + u]);
                        double o = sigmoid(z[blockOfRole[2] * n + u]);
                        double i = sigmoid(z[blockOfRole[3] * n + u]);
                        cell[u] = f * cell[u] + i * a;
                        hn[u] = o * Math.tanh(cell[u]);
                    }
                    h = hn;
                    next[t] = hn;
                }
                seq = next;
            }
            double[] last = seq[STEPS - 1];
            double[] z = new double[w.classes()];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < z.length; j++) {
                double s = w.outB()[j];
                for (int k = 0; k < last.length; k++) {
                    s += last[k] * w.outW()[k][j];
                }
                z[j] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                z[j] = Math.exp(z[j] - max);
                sum += z[j];
            }
            out[b] = new float[z.length];
            for (int j = 0; j < z.length; j++) {
                out[b][j] = (float) (z[j] / sum);
            }
        }
        return out;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static List<int[]> permutations() {
        List<int[]> all = new ArrayList<>();
        permute(new int[] {0, 1, 2, 3}, 0, all);
        return all;
    }

    private static void permute(int[] a, int k, List<int[]> out) {
        if (k == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = k; i < a.length; i++) {
            int t = a[k];
            a[k] = a[i];
            a[i] = t;
            permute(a, k + 1, out);
            a[i] = a[k];
            a[k] = t;
        }
    }
}
