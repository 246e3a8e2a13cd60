package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain-Java fallback ({@link LstmForward#plainJava}, what a JVM without {@code jdk.incubator.vector} runs) and
 * the Vector API path give the same bits: the last LSTM layer's output and the probabilities, for every window.
 *
 * <p>Exact equality is possible because the two do the same float operations in the same order on every element:
 * each sum starts from the bias and adds the inputs in index order, each term with one fused multiply-add
 * ({@link Math#fma} there, the lanewise FMA here; both round once, so they agree where a separate multiply and add
 * would not); the cell is {@link ScalarLstmCell}, {@link VectorLstmCell} lane by lane (rational tanh in plain
 * arithmetic, no library call); and the softmax is shared. The vector path's padding adds only zero terms
 * ({@code fma(0, w, s) == s}). Shapes: unit counts that need padding to the vector width, one to three layers,
 * batches that leave every tile remainder.
 */
class ScalarVectorAgreementTest {

    @ParameterizedTest(name = "channels {0}, dense {1}, units {2}, layers {3}, steps {4}")
    @CsvSource({
            "3, 64, 64, 2, 200",  // the original recipe's shape
            "3, 16, 16, 1, 40",
            "3, 24, 20, 2, 40",   // neither a multiple of the vector width: padded units
            "4, 64, 16, 3, 29",
            "3, 8, 5, 2, 13",
    })
    void plainJavaAndTheVectorApiGiveTheSameBits(int channels, int dense, int units, int layers, int steps) {
        LstmNetworkWeights w = LstmNetworkWeights.of(TestNetworks.random(channels, dense, units, layers, 6, steps,
                17L * units + layers + steps, 0.5));
        LstmForward vector = LstmForward.vectorApi(w).orElseThrow();
        LstmForward plain = LstmForward.plainJava(w);
        for (int batch : new int[] {1, 5, 9}) {
            float[] x = TestNetworks.features(batch, channels, steps, 31L * batch + units);
            float[][] hv = new float[batch][units];
            float[][] hp = new float[batch][units];
            vector.lastHidden(x, 0, batch, steps, hv);
            plain.lastHidden(x, 0, batch, steps, hp);
            assertThat(hp).as("last hidden state, batch %d", batch).isDeepEqualTo(hv);
            assertThat(plain.probabilities(x, batch, steps)).as("probabilities, batch %d", batch)
                    .isDeepEqualTo(vector.probabilities(x, batch, steps));
        }
    }
}
