package io.harstream.trainer.fit;

import io.harstream.core.lstm.UnsupportedNetworkException;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.AlphaDropout;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Random;
import java.util.function.Consumer;

import static io.harstream.trainer.fit.DataParallelFitTest.batch;
import static io.harstream.trainer.fit.DataParallelFitTest.batches;
import static io.harstream.trainer.fit.DataParallelFitTest.maxDifference;
import static io.harstream.trainer.fit.DataParallelFitTest.maxRelativeDifference;
import static io.harstream.trainer.fit.DataParallelFitTest.network;
import static io.harstream.trainer.fit.DataParallelFitTest.parity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BackpropFit} computes DL4J's gradient and score for the seed's network shape, and its steps equal
 * {@code MultiLayerNetwork.fit}'s.
 */
class BackpropFitTest {

    private static final int WINDOW = DataParallelFitTest.WINDOW;

    @Test
    void gradientAndScoreEqualDl4js() {
        MultiLayerNetwork dl4j = network(c -> { });
        MultiLayerNetwork ours = network(c -> { });
        DataSet data = batch(new Random(5), 9);
        dl4j.setInput(data.getFeatures());
        dl4j.setLabels(data.getLabels());
        dl4j.computeGradientAndScore();
        INDArray expected = dl4j.getFlattenedGradients().dup();
        try (BackpropFit fit = new BackpropFit(ours, WINDOW, 2)) {
            double score = fit.computeGradient(data);
            INDArray actual = ours.getFlattenedGradients();
            double scale = expected.amaxNumber().doubleValue();
            assertThat(scale).isGreaterThan(1e-3);
            assertThat(maxDifference(actual, expected) / scale).as("gradient, relative to its largest entry")
                    .isLessThan(1e-5);
            assertThat(score).isCloseTo(dl4j.score(), org.assertj.core.data.Offset.offset(1e-5 * dl4j.score()));
        }
    }

    @Test
    void stepsEqualFitWithAdamAndL2() {
        parity(network(c -> { }), network(c -> { }), net -> new BackpropFit(net, WINDOW, 2));
    }

    @Test
    void oneAndThreeWorkersTakeFitsSteps() {
        parity(network(c -> { }), network(c -> { }), net -> new BackpropFit(net, WINDOW, 1));
        parity(network(c -> { }), network(c -> { }), net -> new BackpropFit(net, WINDOW, 3));
    }

    /** Plain SGD with a large rate shows the gradient's scale (Adam hides it): a sum, divided by the batch once. */
    @Test
    void sgdMakesTheGradientScaleVisible() {
        Consumer<BaseLayer> sgd = l -> l.setIUpdater(new Sgd(0.5));
        parity(network(sgd), network(sgd), net -> new BackpropFit(net, WINDOW, 2));
    }

    @Test
    void clippingAppliesAsInFit() {
        Consumer<BaseLayer> clip = l -> {
            l.setIUpdater(new Sgd(0.5));
            l.setGradientNormalization(GradientNormalization.ClipL2PerLayer);
            l.setGradientNormalizationThreshold(0.02);
        };
        parity(network(clip), network(clip), net -> new BackpropFit(net, WINDOW, 2));
    }

    /** A network like the default recipe's: dropout on the second LSTM's and the softmax's inputs, clipping, cosine. */
    @Test
    void dropoutStepsDoNotDependOnTheWorkerCount() {
        NetworkConfig config = new NetworkConfig(3, 4, 16, 16, 2, 0.001, 0.0015, 7, 0.5, 1.0, 1.0, 4);
        MultiLayerNetwork one = HarNetwork.create(config, WINDOW);
        MultiLayerNetwork three = HarNetwork.create(config, WINDOW);
        INDArray before = one.params().dup();
        try (BackpropFit a = new BackpropFit(one, WINDOW, 1); BackpropFit b = new BackpropFit(three, WINDOW, 3)) {
            for (DataSet batch : batches()) {
                a.fit(batch);
                b.fit(batch);
                assertThat(b.score()).isCloseTo(a.score(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        assertThat(maxRelativeDifference(three.params(), one.params())).isLessThan(1e-5);
        assertThat(maxDifference(one.params(), before)).isGreaterThan(1e-4);
    }

    /**
     * Dropout semantics match DL4J's (which layers' inputs, keep probability, the 1/keep scale): averaged over many
     * masks, the two gradients agree; they are far from the gradient without dropout, so the check has power.
     */
    @Test
    void dropoutGradientAgreesWithDl4jsOnAverage() {
        NetworkConfig config = new NetworkConfig(3, 4, 8, 8, 2, 0.001, 0, 21, 0.5, 1.0, 0, 0);
        DataSet data = batch(new Random(8), 16);
        int draws = 200;
        MultiLayerNetwork dl4j = HarNetwork.create(config, WINDOW);
        dl4j.setInput(data.getFeatures());
        dl4j.setLabels(data.getLabels());
        INDArray dl4jMean = null;
        for (int i = 0; i < draws; i++) {
            dl4j.computeGradientAndScore();
            INDArray g = dl4j.getFlattenedGradients().dup();
            dl4jMean = dl4jMean == null ? g : dl4jMean.addi(g);
        }
        dl4jMean.divi(draws);

        MultiLayerNetwork ours = HarNetwork.create(config, WINDOW);
        INDArray oursMean = null;
        try (BackpropFit fit = new BackpropFit(ours, WINDOW, 1)) {
            for (int i = 0; i < draws; i++) {
                ours.setIterationCount(i); // a new set of masks per draw
                fit.computeGradient(data);
                INDArray g = ours.getFlattenedGradients().dup();
                oursMean = oursMean == null ? g : oursMean.addi(g);
            }
        }
        oursMean.divi(draws);

        MultiLayerNetwork noDropout = HarNetwork.create(
                new NetworkConfig(3, 4, 8, 8, 2, 0.001, 0, 21, 0, 1.0, 0, 0), WINDOW);
        noDropout.setInput(data.getFeatures());
        noDropout.setLabels(data.getLabels());
        noDropout.computeGradientAndScore();
        INDArray without = noDropout.getFlattenedGradients().dup();

        double scale = dl4jMean.norm2Number().doubleValue();
        double agreement = oursMean.sub(dl4jMean).norm2Number().doubleValue() / scale;
        double control = without.sub(dl4jMean).norm2Number().doubleValue() / scale;
        System.out.printf("dropout mean-gradient distance: ours vs DL4J %.3f, no dropout vs DL4J %.3f%n", agreement,
                control);
        assertThat(agreement).isLessThan(0.1);
        assertThat(control).isGreaterThan(3 * agreement);
    }

    @Test
    void refusesWhatItDoesNotCompute() {
        MultiLayerNetwork alpha = network(l -> {
            if (l instanceof LSTM) {
                l.setIDropout(new AlphaDropout(0.9));
            }
        });
        assertThat(BackpropFit.unsupportedReason(alpha)).hasValueSatisfying(r -> assertThat(r).contains("Dropout"));
        assertThatThrownBy(() -> new BackpropFit(alpha, WINDOW, 1)).isInstanceOf(UnsupportedNetworkException.class);
        MultiLayerNetwork denseDropout = network(l -> l.setIDropout(new Dropout(0.9)));
        assertThat(BackpropFit.unsupportedReason(denseDropout)).hasValueSatisfying(r -> assertThat(r).contains("dense"));
        // A shape the engine refuses: the refusal is worded as the backprop's, from the engine's typed difference.
        MultiLayerNetwork doubles = network(c -> { }).convertDataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        assertThat(BackpropFit.unsupportedReason(doubles)).hasValueSatisfying(r -> assertThat(r)
                .startsWith("harstream's backprop does not support this network: ").contains("FLOAT"));
        assertThat(BackpropFit.unsupportedReason(network(c -> { }))).isEmpty();
    }

    @Test
    void rejectsNoWorkersAndUseAfterClose() {
        assertThatThrownBy(() -> new BackpropFit(network(c -> { }), WINDOW, 0))
                .isInstanceOf(IllegalArgumentException.class);
        BackpropFit fit = new BackpropFit(network(c -> { }), WINDOW, 2);
        fit.close();
        assertThatThrownBy(() -> fit.fit(batches().get(0))).isInstanceOf(IllegalStateException.class);
    }
}
