package io.harstream.core.model;

/**
 * The shape and optimizer of the seed's network. Defaults are the seed's: a per-step dense ReLU
 * layer of 64 units, two stacked LSTM layers of 64, Adam with learning rate 0.0025, L2 0.0015.
 */
public record NetworkConfig(int inputChannels, int classes, int denseUnits, int lstmUnits, int lstmLayers,
                            double learningRate, double l2, long seed) {

    public NetworkConfig {
        positive("input channels", inputChannels);
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        positive("dense units", denseUnits);
        positive("LSTM units", lstmUnits);
        positive("LSTM layers", lstmLayers);
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("L2 must be >= 0, got " + l2);
        }
    }

    public static NetworkConfig seed(int inputChannels, int classes, long seed) {
        return new NetworkConfig(inputChannels, classes, 64, 64, 2, 0.0025, 0.0015, seed);
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }
}
