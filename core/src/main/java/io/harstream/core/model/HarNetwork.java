package io.harstream.core.model;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.HashMap;
import java.util.Map;

/** The seed's network, in DL4J. */
public final class HarNetwork {

    private HarNetwork() {
    }

    /**
     * Per time step a dense ReLU layer, then stacked LSTM layers, the last one's final time step into
     * a softmax. The input type makes DL4J insert the reshapes that apply the dense layer to every
     * time step with shared weights, as the seed's {@code matmul} over the flattened steps did.
     *
     * <p>Dropout, when set, drops inputs of the second and later LSTM layers and of the softmax layer: the
     * recurrent features, not the raw sensor channels. DL4J's {@code dropOut} takes the probability of
     * <em>keeping</em> an activation, hence {@code 1 - dropout}. Clipping is per layer (DL4J has no global
     * norm clipping); it bounds the occasional exploding LSTM gradient.
     */
    public static MultiLayerConfiguration configuration(NetworkConfig c, int windowLength) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(adam(c))
                .l2(c.l2())
                .weightInit(WeightInit.XAVIER);
        if (c.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(c.gradientClip());
        }
        NeuralNetConfiguration.ListBuilder layers = base.list()
                .layer(new DenseLayer.Builder().nIn(c.inputChannels()).nOut(c.denseUnits())
                        .activation(Activation.RELU).build());
        for (int i = 0; i < c.lstmLayers(); i++) {
            LSTM.Builder lstm = new LSTM.Builder().nOut(c.lstmUnits()).activation(Activation.TANH)
                    .forgetGateBiasInit(c.forgetGateBias());
            if (i > 0 && c.dropout() > 0) {
                lstm.dropOut(1 - c.dropout());
            }
            // Only the last LSTM's final step feeds the classifier, as in the seed (outputs[-1]).
            layers.layer(i == c.lstmLayers() - 1 ? new LastTimeStep(lstm.build()) : lstm.build());
        }
        OutputLayer.Builder output = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(c.classes())
                .activation(Activation.SOFTMAX);
        if (c.dropout() > 0) {
            output.dropOut(1 - c.dropout());
        }
        return layers
                .layer(output.build())
                .setInputType(InputType.recurrent(c.inputChannels(), windowLength))
                .build();
    }

    /**
     * Adam with the configured rate, or with one rate per epoch when it decays: a {@link MapSchedule} is part
     * of DL4J's own configuration, so the decay survives saving, and needs the network's epoch counter to
     * advance (the trainer sets it at the start of each epoch).
     */
    private static Adam adam(NetworkConfig c) {
        if (c.cosineDecayEpochs() == 0) {
            return new Adam(c.learningRate());
        }
        Map<Integer, Double> perEpoch = new HashMap<>();
        for (int e = 0; e < c.cosineDecayEpochs(); e++) {
            perEpoch.put(e, c.learningRateAt(e));
        }
        return new Adam(new MapSchedule(ScheduleType.EPOCH, perEpoch));
    }

    public static MultiLayerNetwork create(NetworkConfig c, int windowLength) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, windowLength));
        net.init();
        return net;
    }
}
