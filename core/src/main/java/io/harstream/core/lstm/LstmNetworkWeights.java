package io.harstream.core.lstm;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToRnnPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.RnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a network of exactly the shape {@link io.harstream.core.model.HarNetwork} builds,
 * copied out of DL4J into plain float rows:
 *
 * <ol>
 * <li>a dense ReLU layer applied to every time step ({@code RnnToFeedForwardPreProcessor} before it,
 *     {@code FeedForwardToRnnPreProcessor} after it, both NCW), with or without bias;</li>
 * <li>one or more DL4J {@code LSTM} layers (not {@code GravesLSTM}: no peepholes), activation tanh,
 *     gate activation sigmoid, NCW, the last one wrapped in {@code LastTimeStep};</li>
 * <li>an {@code OutputLayer} with softmax.</li>
 * </ol>
 * Float parameters only. Anything else is refused with an {@link UnsupportedNetworkException} that
 * names the difference, so that the caller falls back to DL4J. The exception names fast LSTM inference as
 * what refuses: the trainer asks {@link #unsupportedReason} first and words its own refusal.
 *
 * <h2>DL4J's LSTM parameters</h2>
 * {@code W} is {@code [nIn, 4n]}, {@code RW} is {@code [n, 4n]}, {@code b} is {@code [4n]}; the
 * {@code 4n} columns are four blocks of {@code n}, in this order (DL4J {@code LSTMHelpers}, checked by
 * {@code LstmGateOrderTest} against DL4J's own output):
 * <pre>
 *   block 0 [0, n)    a  candidate / block input   layer activation (tanh)
 *   block 1 [n, 2n)   f  forget gate               gate activation (sigmoid)
 *   block 2 [2n, 3n)  o  output gate               gate activation (sigmoid)
 *   block 3 [3n, 4n)  i  input gate                gate activation (sigmoid)
 *
 *   c_t = f * c_(t-1) + i * a        h_t = o * tanh(c_t)        c_0 = h_0 = 0
 * </pre>
 *
 * <p>Instances are immutable snapshots: training the network afterwards does not change them.
 */
public final class LstmNetworkWeights {

    /** Column block of the candidate (block input, tanh) in DL4J's {@code 4n} gate columns. */
    public static final int BLOCK_CANDIDATE = 0;
    /** Column block of the forget gate. */
    public static final int BLOCK_FORGET = 1;
    /** Column block of the output gate. */
    public static final int BLOCK_OUTPUT = 2;
    /** Column block of the input gate. */
    public static final int BLOCK_INPUT = 3;

    /** One LSTM layer: {@code w [inputSize][4n]}, {@code rw [n][4n]}, {@code b [4n]}, DL4J's column order. */
    public record Lstm(int inputSize, int units, float[][] w, float[][] rw, float[] b) {
    }

    private final int inputChannels;
    private final int denseUnits;
    private final float[][] denseW;
    private final float[] denseB;
    private final List<Lstm> lstm;
    private final int classes;
    private final float[][] outW;
    private final float[] outB;

    LstmNetworkWeights(float[][] denseW, float[] denseB, List<Lstm> lstm, float[][] outW, float[] outB) {
        this.inputChannels = denseW.length;
        this.denseUnits = denseB.length;
        this.denseW = denseW;
        this.denseB = denseB;
        this.lstm = List.copyOf(lstm);
        this.classes = outB.length;
        this.outW = outW;
        this.outB = outB;
        int in = denseUnits;
        for (Lstm l : this.lstm) {
            check(l.inputSize() == in && l.w().length == in && l.rw().length == l.units()
                    && l.b().length == 4 * l.units(), "inconsistent LSTM layer sizes");
            in = l.units();
        }
        check(outW.length == in, "output layer has " + outW.length + " inputs, last LSTM has " + in + " units");
    }

    /** Copies the parameters out of {@code network}; throws {@link UnsupportedNetworkException} for any other shape. */
    public static LstmNetworkWeights of(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        Layer[] layers = network.getLayers();
        int n = layers == null ? 0 : layers.length;
        check(n >= 3, "expected dense, LSTM..., output layers, got " + n + " layers (is the network initialised?)");
        check(network.params() != null && network.params().dataType() == DataType.FLOAT,
                "parameters are " + (network.params() == null ? "missing" : network.params().dataType())
                        + ", only FLOAT is supported");

        // Preprocessors: exactly the two that apply the dense layer to every time step, NCW.
        Map<Integer, InputPreProcessor> pre = conf.getInputPreProcessors();
        for (Map.Entry<Integer, InputPreProcessor> e : pre.entrySet()) {
            InputPreProcessor p = e.getValue();
            boolean ok = switch (e.getKey()) {
                case 0 -> p instanceof RnnToFeedForwardPreProcessor r && r.getRnnDataFormat() == RNNFormat.NCW
                        && p.getClass() == RnnToFeedForwardPreProcessor.class;
                case 1 -> p instanceof FeedForwardToRnnPreProcessor r && r.getRnnDataFormat() == RNNFormat.NCW
                        && p.getClass() == FeedForwardToRnnPreProcessor.class;
                default -> false;
            };
            check(ok, "unexpected input preprocessor before layer " + e.getKey() + ": " + p);
        }
        check(pre.get(0) != null && pre.get(1) != null,
                "expected the RNN->feed-forward and feed-forward->RNN preprocessors around the dense layer, got " + pre);

        // Layer 0: dense ReLU.
        org.deeplearning4j.nn.conf.layers.Layer c0 = conf.getConf(0).getLayer();
        check(c0.getClass() == DenseLayer.class, "layer 0 must be a DenseLayer, got " + simpleName(c0));
        DenseLayer dense = (DenseLayer) c0;
        check(!dense.hasLayerNorm(), "layer 0 uses layer normalisation");
        activation(dense.getActivationFn(), ActivationReLU.class, "layer 0 (dense)");
        float[][] denseW = matrix(layers[0], "W");
        float[] denseB = dense.hasBias() ? vector(layers[0], "b") : new float[denseW[0].length];
        check(denseB.length == denseW[0].length, "dense bias size");

        // Layers 1..n-2: LSTM, the last one in LastTimeStep.
        List<Lstm> lstm = new ArrayList<>();
        int in = denseB.length;
        for (int i = 1; i <= n - 2; i++) {
            org.deeplearning4j.nn.conf.layers.Layer ci = conf.getConf(i).getLayer();
            boolean last = i == n - 2;
            if (last) {
                check(ci.getClass() == LastTimeStep.class,
                        "layer " + i + " (the last recurrent layer) must be LastTimeStep(LSTM), got " + simpleName(ci));
                ci = ((LastTimeStep) ci).getUnderlying();
            }
            check(ci.getClass() == LSTM.class, "layer " + i + " must be an LSTM" + (last ? " inside LastTimeStep" : "")
                    + ", got " + simpleName(ci));
            LSTM l = (LSTM) ci;
            activation(l.getActivationFn(), ActivationTanH.class, "layer " + i + " (LSTM)");
            activation(l.getGateActivationFn(), ActivationSigmoid.class, "layer " + i + " (LSTM gates)");
            check(l.getRnnDataFormat() == RNNFormat.NCW, "layer " + i + " uses " + l.getRnnDataFormat() + ", not NCW");
            float[][] w = matrix(layers[i], "W");
            float[][] rw = matrix(layers[i], "RW");
            float[] b = vector(layers[i], "b");
            int units = rw.length;
            check(w.length == in, "layer " + i + " has " + w.length + " inputs, expected " + in);
            check(w[0].length == 4 * units && rw[0].length == 4 * units && b.length == 4 * units,
                    "layer " + i + " parameters are not [in,4n]/[n,4n]/[4n] (peephole LSTM?): W "
                            + w[0].length + ", RW " + rw[0].length + " columns, b " + b.length + ", n " + units);
            lstm.add(new Lstm(in, units, w, rw, b));
            in = units;
        }

        // Last layer: softmax output.
        org.deeplearning4j.nn.conf.layers.Layer cl = conf.getConf(n - 1).getLayer();
        check(cl.getClass() == OutputLayer.class, "layer " + (n - 1) + " must be an OutputLayer, got " + simpleName(cl));
        OutputLayer out = (OutputLayer) cl;
        activation(out.getActivationFn(), ActivationSoftmax.class, "layer " + (n - 1) + " (output)");
        float[][] outW = matrix(layers[n - 1], "W");
        float[] outB = out.hasBias() ? vector(layers[n - 1], "b") : new float[outW[0].length];
        check(outW.length == in && outB.length == outW[0].length,
                "output layer is [" + outW.length + "," + outW[0].length + "], expected " + in + " inputs");
        return new LstmNetworkWeights(denseW, denseB, lstm, outW, outB);
    }

    /**
     * What in {@code network} differs from the supported shape ({@link UnsupportedNetworkException#difference()} of
     * the exception {@link #of} would throw), or empty when it is supported.
     */
    public static Optional<String> unsupportedReason(MultiLayerNetwork network) {
        try {
            of(network);
            return Optional.empty();
        } catch (UnsupportedNetworkException e) {
            return Optional.of(e.difference());
        }
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int denseUnits() {
        return denseUnits;
    }

    public int classes() {
        return classes;
    }

    /** The LSTM layers, input side first. */
    public List<Lstm> lstm() {
        return lstm;
    }

    /** {@code [inputChannels][denseUnits]}; do not modify. */
    public float[][] denseW() {
        return denseW;
    }

    public float[] denseB() {
        return denseB;
    }

    /** {@code [lastUnits][classes]}; do not modify. */
    public float[][] outW() {
        return outW;
    }

    public float[] outB() {
        return outB;
    }

    /**
     * Forward FLOPs of one window of {@code steps} time steps (a multiply-add counts 2; activations
     * and softmax not counted): dense {@code 2*C*D*T}, per LSTM layer {@code 2*(in+n)*4n*T}, output
     * {@code 2*n*K}.
     */
    public double forwardFlops(int steps) {
        double f = 2.0 * inputChannels * denseUnits * steps;
        for (Lstm l : lstm) {
            f += 2.0 * (l.inputSize() + l.units()) * 4 * l.units() * steps;
        }
        return f + 2.0 * outW.length * classes;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("dense ").append(inputChannels).append("->").append(denseUnits);
        for (Lstm l : lstm) {
            s.append(", LSTM ").append(l.units());
        }
        return s.append(", softmax ").append(classes).toString();
    }

    private static void activation(IActivation a, Class<? extends IActivation> expected, String where) {
        check(a != null && a.getClass() == expected, where + " activation is " + a + ", expected "
                + expected.getSimpleName().replace("Activation", "").toLowerCase(java.util.Locale.ROOT));
    }

    private static float[][] matrix(Layer layer, String key) {
        INDArray p = param(layer, key);
        check(p.rank() == 2, "parameter " + key + " of layer " + layer.getIndex() + " has shape "
                + Arrays.toString(p.shape()));
        return p.toFloatMatrix();
    }

    private static float[] vector(Layer layer, String key) {
        INDArray p = param(layer, key);
        check(p.isVector() || p.length() == 1, "parameter " + key + " of layer " + layer.getIndex() + " has shape "
                + Arrays.toString(p.shape()));
        return p.toFloatVector();
    }

    private static INDArray param(Layer layer, String key) {
        INDArray p = layer.paramTable().get(key);
        check(p != null, "layer " + layer.getIndex() + " has no parameter " + key + " (has "
                + layer.paramTable().keySet() + ")");
        return p;
    }

    private static String simpleName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new UnsupportedNetworkException(LstmForward.NAME, message);
        }
    }
}
