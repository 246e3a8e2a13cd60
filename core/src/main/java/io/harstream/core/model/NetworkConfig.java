package io.harstream.core.model;

/**
 * The shape, optimizer and regularization of the network. {@link #original(int, int, long)} gives the seed's
 * values, those of the {@code original} recipe: a per-step dense ReLU layer of 64 units, two stacked LSTM layers
 * of 64, Adam with learning rate 0.0025, L2 0.0015, no dropout, no gradient clipping and DL4J's (and TensorFlow's)
 * forget-gate bias of 1.
 *
 * @param seed           the random seed DL4J initialises the network from
 * @param dropout        probability of dropping an input of the second and later LSTM layers and of the
 *                       softmax layer during training (0 = off); never applied at inference
 * @param forgetGateBias initial bias of the LSTM forget gates
 * @param gradientClip   L2 norm each layer's gradient is clipped to per step (0 = off)
 * @param cosineDecayEpochs when positive, the learning rate follows a cosine from {@code learningRate}
 *                       towards 0 over this many epochs (one value per epoch); 0 keeps it constant
 */
public record NetworkConfig(int inputChannels, int classes, int denseUnits, int lstmUnits, int lstmLayers,
                            double learningRate, double l2, long seed, double dropout, double forgetGateBias,
                            double gradientClip, int cosineDecayEpochs) {

    /** DL4J's default forget-gate bias, also TensorFlow's {@code BasicLSTMCell} default that the seed used. */
    public static final double DEFAULT_FORGET_GATE_BIAS = 1.0;

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
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (!Double.isFinite(forgetGateBias)) {
            throw new IllegalArgumentException("forget-gate bias must be finite, got " + forgetGateBias);
        }
        if (!(gradientClip >= 0) || Double.isInfinite(gradientClip)) {
            throw new IllegalArgumentException("gradient clip must be >= 0 and finite, got " + gradientClip);
        }
        if (cosineDecayEpochs < 0) {
            throw new IllegalArgumentException("cosine decay epochs must be >= 0, got " + cosineDecayEpochs);
        }
    }

    /** Without dropout, clipping or learning-rate decay, and with the default forget-gate bias. */
    public NetworkConfig(int inputChannels, int classes, int denseUnits, int lstmUnits, int lstmLayers,
                         double learningRate, double l2, long seed) {
        this(inputChannels, classes, denseUnits, lstmUnits, lstmLayers, learningRate, l2, seed, 0, DEFAULT_FORGET_GATE_BIAS,
                0, 0);
    }

    /** The seed's network and optimizer (see the class comment), initialised from the random {@code seed}. */
    public static NetworkConfig original(int inputChannels, int classes, long seed) {
        return new NetworkConfig(inputChannels, classes, 64, 64, 2, 0.0025, 0.0015, seed);
    }

    /** The learning rate of epoch {@code epoch} (0-based): constant, or the cosine decay. */
    public double learningRateAt(int epoch) {
        if (cosineDecayEpochs == 0) {
            return learningRate;
        }
        int e = Math.min(epoch, cosineDecayEpochs - 1);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * e / cosineDecayEpochs));
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }
}
