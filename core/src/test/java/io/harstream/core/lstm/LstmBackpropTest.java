package io.harstream.core.lstm;

import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LstmBackprop}'s gradient where DL4J cannot be the reference. Its agreement with DL4J's gradient and steps
 * without dropout, and with dropout on average, is tested with the trainer's {@code BackpropFit}, which hands it to
 * DL4J's updater ({@code BackpropFitTest}).
 */
class LstmBackpropTest {

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

    private static double loss(LstmBackprop pass, LstmNetworkWeights weights, float[] x) {
        return pass.window(LstmBackprop.Step.of(weights), x, 0, 1, new SplittableRandom(99),
                new LstmGradients(weights));
    }
}
