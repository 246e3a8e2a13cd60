package io.harstream.core.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run by {@link VectorModuleAbsentTest} in a JVM started without {@code jdk.incubator.vector}: builds
 * small random weights (no DL4J), classifies through {@link LstmForward#create} and prints the
 * implementation and the probabilities, one window a line.
 */
public final class NoVectorModuleMain {

    private NoVectorModuleMain() {
    }

    public static void main(String[] args) {
        LstmNetworkWeights w = weights(Long.parseLong(args[0]));
        float[] x = TestNetworks.features(5, 3, 30, 2);
        LstmForward f = LstmForward.create(w);
        System.out.println("module present: " + VectorSupport.available());
        System.out.println("vectorApi(): " + LstmForward.vectorApi(w).isPresent());
        System.out.println("implementation: " + f.description());
        for (float[] p : f.probabilities(x, 5, 30)) {
            System.out.println("p " + Arrays.toString(p));
        }
    }

    /** Dense 3->8, LSTM 8, LSTM 5, softmax 4, N(0, 0.5^2) parameters. */
    static LstmNetworkWeights weights(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new LstmNetworkWeights(matrix(r, 3, 8), vector(r, 8),
                List.of(new LstmNetworkWeights.Lstm(8, 8, matrix(r, 8, 32), matrix(r, 8, 32), vector(r, 32)),
                        new LstmNetworkWeights.Lstm(8, 5, matrix(r, 8, 20), matrix(r, 5, 20), vector(r, 20))),
                matrix(r, 5, 4), vector(r, 4));
    }

    private static float[][] matrix(SplittableRandom r, int rows, int cols) {
        float[][] m = new float[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = vector(r, cols);
        }
        return m;
    }

    private static float[] vector(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() - 0.5) * 1.7);
        }
        return v;
    }
}
