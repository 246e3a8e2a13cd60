package io.harstream.trainer.fit;

import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.NetworkConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link DataParallelFit} takes the same step as {@code MultiLayerNetwork.fit} on the whole batch. */
class DataParallelFitTest {

    static final int CHANNELS = 3;
    static final int CLASSES = 4;
    static final int WINDOW = 20;
    static final double TOLERANCE = 1e-5;

    /** The seed's network shape, small: 16 dense units, 2 LSTM layers of 16, Adam 0.0025, L2 0.0015. */
    static final NetworkConfig SMALL = new NetworkConfig(CHANNELS, CLASSES, 16, 16, 2, 0.0025, 0.0015, 11);

    /** Includes odd sizes, so the two shards differ in size (3 and 4 rows, 4 and 5 rows). */
    static final int[] BATCH_SIZES = {8, 7, 16, 9, 12};

    @Test
    void twoWorkersTakeTheSameStepsAsFit() {
        parity(network(c -> { }), network(c -> { }), 2);
    }

    @Test
    void threeWorkersTakeTheSameStepsAsFit() {
        parity(network(c -> { }), network(c -> { }), 3);
    }

    /**
     * Plain SGD with a large rate makes the gradient's scale visible in the parameters (Adam is nearly
     * invariant to it), so averaging instead of summing the shards, or dividing by the batch twice, fails here.
     */
    @Test
    void sgdMakesTheGradientScaleVisible() {
        Consumer<BaseLayer> sgd = l -> l.setIUpdater(new Sgd(0.5));
        parity(network(sgd), network(sgd), 2);
    }

    /** Clipping applies once, to the combined gradient after the division by the batch size. */
    @Test
    void clippingAppliesToTheCombinedGradient() {
        Consumer<BaseLayer> clip = l -> {
            l.setIUpdater(new Sgd(0.5));
            l.setGradientNormalization(GradientNormalization.ClipL2PerLayer);
            l.setGradientNormalizationThreshold(0.02);
        };
        MultiLayerNetwork plain = network(l -> l.setIUpdater(new Sgd(0.5)));
        MultiLayerNetwork clipped = network(clip);
        parity(clipped, network(clip), 2);
        // The threshold bites: the same batches without clipping end elsewhere.
        for (DataSet b : batches()) {
            plain.fit(b);
        }
        assertThat(maxDifference(plain.params(), clipped.params())).isGreaterThan(1e-3);
    }

    @Test
    void oneWorkerIsPlainFit() {
        MultiLayerNetwork a = network(c -> { });
        MultiLayerNetwork b = network(c -> { });
        try (DataParallelFit parallel = new DataParallelFit(b, 1)) {
            for (DataSet batch : batches()) {
                a.fit(batch);
                parallel.fit(batch);
                assertThat(b.params()).isEqualTo(a.params());
                assertThat(parallel.score()).isEqualTo(a.score());
            }
        }
    }

    @Test
    void batchSmallerThanTheWorkerCount() {
        MultiLayerNetwork a = network(c -> { });
        MultiLayerNetwork b = network(c -> { });
        try (DataParallelFit parallel = new DataParallelFit(b, 4)) {
            for (int rows : new int[] {1, 2, 3, 1}) {
                DataSet batch = batch(new Random(rows), rows);
                a.fit(batch);
                parallel.fit(batch);
                assertClose(b, a, parallel.score(), "batch of " + rows);
            }
        }
        assertThat(b.getIterationCount()).isEqualTo(a.getIterationCount()).isEqualTo(4);
    }

    /**
     * With dropout each worker draws its own masks: a valid step, not {@code fit}'s; it must still learn. Also
     * guards against replicas sharing stateful layer configuration with the master (DL4J's {@code clone()}
     * shares the LSTM inside {@code LastTimeStep}, and with it the dropout mask, which failed here).
     */
    @Test
    void dropoutTrains() {
        MultiLayerNetwork plain = network(l -> l.setIDropout(new Dropout(0.8)));
        for (DataSet batch : batches()) {
            plain.fit(batch); // the configuration is fine for plain fit
        }
        MultiLayerNetwork net = network(l -> l.setIDropout(new Dropout(0.8)));
        INDArray before = net.params().dup();
        try (DataParallelFit parallel = new DataParallelFit(net, 2)) {
            for (DataSet batch : batches()) {
                parallel.fit(batch);
                assertThat(parallel.score()).isFinite().isPositive();
            }
        }
        assertThat(maxDifference(net.params(), before)).isGreaterThan(1e-4);
        assertThat(net.getIterationCount()).isEqualTo(BATCH_SIZES.length);
    }

    @Test
    void rejectsNoWorkers() {
        MultiLayerNetwork net = network(c -> { });
        assertThatThrownBy(() -> new DataParallelFit(net, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitAfterCloseFails() {
        DataParallelFit parallel = new DataParallelFit(network(c -> { }), 2);
        parallel.close();
        assertThatThrownBy(() -> parallel.fit(batches().get(0)))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Copy A trained with {@code fit}, copy B with {@link DataParallelFit}; compared after every step. */
    static void parity(MultiLayerNetwork a, MultiLayerNetwork b, int workers) {
        parity(a, b, net -> new DataParallelFit(net, workers));
    }

    /** Copy A trained with {@code fit}, copy B with the step {@code stepFor} makes for it; compared after every step. */
    static void parity(MultiLayerNetwork a, MultiLayerNetwork b, Function<MultiLayerNetwork, TrainingStep> stepFor) {
        assertThat(b.params()).isEqualTo(a.params());
        try (TrainingStep parallel = stepFor.apply(b)) {
            int step = 0;
            for (DataSet batch : batches()) {
                step++;
                a.fit(batch);
                parallel.fit(batch);
                assertClose(b, a, parallel.score(), "step " + step + " (batch " + batch.numExamples() + ")");
                assertThat(b.score()).isEqualTo(parallel.score());
            }
        }
        assertThat(b.getIterationCount()).isEqualTo(a.getIterationCount()).isEqualTo(BATCH_SIZES.length);
        // Adam's (or any updater's) state evolved the same way too.
        INDArray stateA = a.getUpdater().getStateViewArray();
        if (stateA != null) {
            assertThat(maxRelativeDifference(b.getUpdater().getStateViewArray(), stateA)).isLessThan(TOLERANCE);
        }
    }

    static void assertClose(MultiLayerNetwork parallel, MultiLayerNetwork plain, double parallelScore, String what) {
        assertThat(maxRelativeDifference(parallel.params(), plain.params())).as("parameters after " + what)
                .isLessThan(TOLERANCE);
        assertThat(Math.abs(parallelScore - plain.score()) / Math.max(1, Math.abs(plain.score())))
                .as("score of " + what + ": parallel %s, fit %s", parallelScore, plain.score()).isLessThan(TOLERANCE);
    }

    /** max |a - b| / max(1, |b|) over the elements: absolute for small values, relative for large ones. */
    static double maxRelativeDifference(INDArray a, INDArray b) {
        float[] x = a.dup().data().asFloat();
        float[] y = b.dup().data().asFloat();
        assertThat(x).hasSameSizeAs(y);
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
        }
        return max;
    }

    static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** The small seed network, with each parameterized layer's configuration edited by {@code edit}. */
    static MultiLayerNetwork network(Consumer<BaseLayer> edit) {
        MultiLayerConfiguration conf = HarNetwork.configuration(SMALL, WINDOW);
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            Layer layer = layerConf.getLayer();
            if (layer instanceof BaseWrapperLayer wrapper) {
                layer = wrapper.getUnderlying();
            }
            if (layer instanceof BaseLayer base) {
                edit.accept(base);
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static List<DataSet> batches() {
        Random random = new Random(3);
        List<DataSet> out = new ArrayList<>();
        for (int n : BATCH_SIZES) {
            out.add(batch(random, n));
        }
        return out;
    }

    /** Random features with a learnable signal: the label shifts channel {@code label % CHANNELS}. */
    static DataSet batch(Random random, int n) {
        float[] x = new float[n * CHANNELS * WINDOW];
        float[] y = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            y[i * CLASSES + label] = 1;
            for (int c = 0; c < CHANNELS; c++) {
                for (int t = 0; t < WINDOW; t++) {
                    x[(i * CHANNELS + c) * WINDOW + t] = (float) (random.nextGaussian() + (c == label % CHANNELS
                            ? 0.5 * label : 0));
                }
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {n, CHANNELS, WINDOW}, 'c'),
                Nd4j.create(y, new long[] {n, CLASSES}, 'c'));
    }
}
