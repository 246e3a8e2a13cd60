package io.harstream.core.model;

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

/** The seed's network, in DL4J. */
public final class HarNetwork {

    private HarNetwork() {
    }

    /**
     * Per time step a dense ReLU layer, then stacked LSTM layers, the last one's final time step into
     * a softmax. The input type makes DL4J insert the reshapes that apply the dense layer to every
     * time step with shared weights, as the seed's {@code matmul} over the flattened steps did.
     */
    public static MultiLayerConfiguration configuration(NetworkConfig c, int windowLength) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(new Adam(c.learningRate()))
                .l2(c.l2())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(c.inputChannels()).nOut(c.denseUnits())
                        .activation(Activation.RELU).build());
        for (int i = 0; i < c.lstmLayers(); i++) {
            LSTM lstm = new LSTM.Builder().nOut(c.lstmUnits()).activation(Activation.TANH).build();
            // Only the last LSTM's final step feeds the classifier, as in the seed (outputs[-1]).
            layers.layer(i == c.lstmLayers() - 1 ? new LastTimeStep(lstm) : lstm);
        }
        return layers
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(c.classes())
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.recurrent(c.inputChannels(), windowLength))
                .build();
    }

    public static MultiLayerNetwork create(NetworkConfig c, int windowLength) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(c, windowLength));
        net.init();
        return net;
    }
}
