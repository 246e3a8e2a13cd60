package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fast forward pass against DL4J's {@code MultiLayerNetwork.output} on randomly initialised
 * networks of several shapes: both implementations (Vector API and plain Java), batch sizes that
 * leave every tile remainder, unit counts that need padding to the vector width.
 */
class LstmForwardEquivalenceTest {

    private static final int[] BATCHES = {1, 5, 64, 257};
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "channels {0}, dense {1}, units {2}, layers {3}, window {4}")
    @CsvSource({
            "3, 16, 16, 1, 40",
            "4, 64, 64, 2, 200",
            "3, 64, 16, 3, 40",
            "4, 16, 64, 1, 40",
            "3, 64, 64, 2, 200",
            "3, 24, 20, 2, 40",   // neither a multiple of 16: padded units
    })
    void matchesDl4jOnRandomNetworks(int channels, int dense, int units, int layers, int window) {
        MultiLayerNetwork net = TestNetworks.random(channels, dense, units, layers, 6, window,
                31L * units + 7L * layers + window, 0.3);
        LstmNetworkWeights w = LstmNetworkWeights.of(net);
        List<LstmForward> impls = implementations(w);
        for (int batch : BATCHES) {
            float[] x = TestNetworks.features(batch, channels, window, batch * 1000L + units);
            float[][] expected = TestNetworks.dl4j(net, x, batch, channels, window);
            for (LstmForward f : impls) {
                float[][] actual = f.probabilities(x, batch, window);
                double diff = TestNetworks.maxAbsDiff(actual, expected);
                System.out.printf(Locale.ROOT, "%-50s %s batch %3d: max |p - dl4j| = %.3g%n", f.description(), w, batch,
                        diff);
                assertThat(actual).hasNumberOfRows(batch);
                assertThat(diff).as("%s, batch %d", f.description(), batch).isLessThanOrEqualTo(TOLERANCE);
                assertThat(TestNetworks.argmaxMismatches(actual, expected)).as("argmax, %s", f.description()).isZero();
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        MultiLayerNetwork net = TestNetworks.random(3, 16, 16, 2, 6, 40, 5, 0.3);
        LstmNetworkWeights w = LstmNetworkWeights.of(net);
        int batch = 103;
        float[] x = TestNetworks.features(batch, 3, 40, 9);
        for (LstmForward f : implementations(w)) {
            float[][] one = f.probabilities(x, batch, 40, 1);
            for (int threads : new int[] {2, 3, 8, 64}) {
                assertThat(f.probabilities(x, batch, 40, threads)).as("%s, %d threads", f.description(), threads)
                        .isDeepEqualTo(one);
            }
        }
    }

    /**
     * A batch of up to {@link LstmForward#SPLIT_GRAIN} windows cannot be split by windows; on two threads the
     * Vector API path splits the layers instead (the second thread a chunk of steps behind the first). Steps
     * that are not a multiple of the chunk or of the projection's 4-step tile, tiles of 4 and single windows,
     * one to three layers: the results must be bit for bit those of one thread.
     */
    @ParameterizedTest(name = "layers {0}, steps {1}")
    @CsvSource({"1, 40", "2, 40", "2, 13", "2, 3", "3, 29"})
    void smallBatchesOnTwoThreadsSplitTheLayersWithTheSameResults(int layers, int steps) {
        MultiLayerNetwork net = TestNetworks.random(3, 24, 20, layers, 6, steps, 11L * layers + steps, 0.3);
        LstmNetworkWeights w = LstmNetworkWeights.of(net);
        for (LstmForward f : implementations(w)) {
            boolean splitsLayers = f.description().startsWith("Vector API") && layers >= 2;
            for (int batch : new int[] {1, 2, 4, 5, 8}) {
                float[] x = TestNetworks.features(batch, 3, steps, 100L * batch + layers);
                float[][] one = f.probabilities(x, batch, steps, 1);
                assertThat(f.threadsFor(batch, 2)).as("%s, batch %d", f.description(), batch)
                        .isEqualTo(splitsLayers ? 2 : 1);
                for (int repeat = 0; repeat < 20; repeat++) { // a missed hand-over would show as a race
                    assertThat(f.probabilities(x, batch, steps, 2)).as("%s, batch %d", f.description(), batch)
                            .isDeepEqualTo(one);
                }
            }
            assertThat(f.threadsFor(9, 2)).isEqualTo(2);
            assertThat(f.threadsFor(1, 1)).isEqualTo(1);
            assertThat(f.threadsFor(0, 2)).isEqualTo(1);
        }
    }

    /**
     * A window's probabilities are bit for bit the same whatever batch it comes in and wherever in it
     * (in a tile of 4 or alone): the stream-app batches windows differently from the trainer's
     * evaluation, and their confusion matrices must be equal.
     */
    @ParameterizedTest(name = "units {0}")
    @CsvSource({"16", "20", "64"})
    void aWindowsResultDoesNotDependOnItsBatch(int units) {
        int steps = 30;
        MultiLayerNetwork net = TestNetworks.random(3, 16, units, 2, 6, steps, units, 0.3);
        LstmNetworkWeights w = LstmNetworkWeights.of(net);
        int batch = 11;
        float[] x = TestNetworks.features(batch, 3, steps, 4);
        int per = 3 * steps;
        for (LstmForward f : implementations(w)) {
            float[][] together = f.probabilities(x, batch, steps, 2);
            for (int i = 0; i < batch; i++) {
                float[] alone = f.probabilities(java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per), 1, steps)[0];
                assertThat(alone).as("%s, window %d", f.description(), i).containsExactly(together[i]);
            }
            // The last window after a tile of 4 at the start of a batch of 5, and the same at position 0.
            float[][] shifted = f.probabilities(java.util.Arrays.copyOfRange(x, 6 * per, batch * per), 5, steps);
            for (int i = 0; i < 5; i++) {
                assertThat(shifted[i]).containsExactly(together[6 + i]);
            }
        }
    }

    @Test
    void anEmptyBatchGivesNoRows() {
        LstmNetworkWeights w = LstmNetworkWeights.of(TestNetworks.random(3, 16, 16, 1, 6, 40, 1, 0.3));
        for (LstmForward f : implementations(w)) {
            assertThat(f.probabilities(new float[0], 0, 40)).isEmpty();
        }
    }

    @Test
    void theTestJvmHasTheVectorApi() {
        // Surefire's argLine adds the module; without it the Vector API half of these tests would not run.
        assertThat(VectorSupport.available()).isTrue();
        assertThat(LstmForward.create(LstmNetworkWeights.of(TestNetworks.random(3, 16, 16, 1, 6, 40, 1, 0.3)))
                .description()).startsWith("Vector API");
    }

    static List<LstmForward> implementations(LstmNetworkWeights w) {
        List<LstmForward> impls = new ArrayList<>();
        LstmForward.vectorApi(w).ifPresent(impls::add);
        impls.add(LstmForward.plainJava(w));
        return impls;
    }
}
