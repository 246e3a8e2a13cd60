package io.harstream.trainer.parallel;

import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.model.inference.LstmNetworkWeights;
import io.harstream.core.model.inference.UnsupportedNetworkException;
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
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static io.harstream.trainer.parallel.DataParallelFitTest.batch;
import static io.harstream.trainer.parallel.DataParallelFitTest.batches;
import static io.harstream.trainer.parallel.DataParallelFitTest.maxDifference;
import static io.harstream.trainer.parallel.DataParallelFitTest.maxRelativeDifference;
import static io.harstream.trainer.parallel.DataParallelFitTest.network;
import static io.harstream.trainer.parallel.DataParallelFitTest.parity;
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
     * With dropout the masks are ours, so DL4J cannot serve as the reference: the backward pass is checked against
     * central differences of the loss, the masks held fixed by drawing them from the same seed each time.
     */
    @Test
    void dropoutGradientMatchesFiniteDifferences() {
        NetworkConfig config = new NetworkConfig(3, 3, 5, 4, 2, 0.001, 0, 13, 0.4, 1.0, 0, 0);
        MultiLayerNetwork net = HarNetwork.create(config, 6);
        LstmNetworkWeights weights = LstmNetworkWeights.of(net);
        LstmBackprop pass = new LstmBackprop(weights, 6, new float[] {1f, 0.6f}, 0.6f);
        float[] x = new float[3 * 6];
        Random random = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        LstmGradients grad = new LstmGradients(weights);
        pass.window(LstmBackprop.Step.of(weights), x, 0, 1, new SplittableRandom(99), grad);

        LstmNetworkWeights.Lstm second = weights.lstm().get(1);
        LstmNetworkWeights.Lstm first = weights.lstm().get(0);
        float[][] checks = {
                // parameter row, gradient row, column
                second.rw()[1], grad.rw[1][1], null,
                second.w()[2], grad.w[1][2], null,
                first.rw()[3], grad.rw[0][3], null,
                first.w()[0], grad.w[0][0], null,
                weights.denseW()[1], grad.denseW[1], null,
                weights.outW()[2], grad.outW[2], null,
                second.b(), grad.b[1], null,
        };
        int compared = 0;
        for (int c = 0; c < checks.length; c += 3) {
            float[] param = checks[c];
            float[] analytic = checks[c + 1];
            for (int j = 0; j < param.length; j++) {
                float saved = param[j];
                double eps = 1e-2;
                param[j] = (float) (saved + eps);
                double up = loss(pass, weights, x);
                param[j] = (float) (saved - eps);
                double down = loss(pass, weights, x);
                param[j] = saved;
                double numeric = (up - down) / (2 * eps);
                assertThat(analytic[j]).as("row %d entry %d", c / 3, j)
                        .isCloseTo((float) numeric, org.assertj.core.data.Offset.offset(
                                (float) (2e-3 + 2e-2 * Math.abs(numeric))));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(50);
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

    private static double loss(LstmBackprop pass, LstmNetworkWeights weights, float[] x) {
        return pass.window(LstmBackprop.Step.of(weights), x, 0, 1, new SplittableRandom(99), new LstmGradients(weights));
    }
}
