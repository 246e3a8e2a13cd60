package io.harstream.core.features;

import io.harstream.core.window.Window;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreprocessingTest {

    private static Window window(float[] x, float[] y, float[] z) {
        return new Window(0, 1, x, y, z, 0);
    }

    @Test
    void fitsMeanAndStdPerChannelOverAllSamples() {
        Window a = window(new float[] {1, 3}, new float[] {0, 0}, new float[] {3, 0});
        Window b = window(new float[] {5, 7}, new float[] {0, 0}, new float[] {4, 0});
        Normalization n = Normalization.fit(List.of(a, b),
                List.of(Channel.X, Channel.Y, Channel.MAGNITUDE));
        assertThat(n.mean()[0]).isEqualTo(4.0);
        assertThat(n.std()[0]).isCloseTo(Math.sqrt(5.0), within(1e-9));
        // a constant channel is divided by ~1e-6 floor instead of zero
        assertThat(n.std()[1]).isPositive();
        // magnitudes: |(1,0,3)|, 3, |(5,0,4)|, 7
        double m = (Math.sqrt(10) + 3 + Math.sqrt(41) + 7) / 4;
        assertThat(n.mean()[2]).isCloseTo(m, within(1e-6));
    }

    @Test
    void featuresAreStandardizedInBatchChannelTimeOrder() {
        Window a = window(new float[] {1, 3}, new float[] {2, 2}, new float[] {0, 4});
        Normalization n = new Normalization(new double[] {1, 2, 0}, new double[] {2, 1, 4});
        Preprocessor p = new Preprocessor(List.of(Channel.X, Channel.Y, Channel.Z), n);
        INDArray f = p.features(List.of(a, a));
        assertThat(f.shape()).containsExactly(2, 3, 2);
        assertThat(f.getFloat(1, 0, 1)).isEqualTo(1f);   // (3 - 1) / 2
        assertThat(f.getFloat(1, 1, 0)).isEqualTo(0f);   // (2 - 2) / 1
        assertThat(f.getFloat(0, 2, 1)).isEqualTo(1f);   // (4 - 0) / 4
    }

    @Test
    void channelIdsRoundTripAndUnknownIsRefused() {
        for (Channel c : Channel.values()) {
            assertThat(Channel.fromId(c.id())).isEqualTo(c);
        }
        assertThatThrownBy(() -> Channel.fromId("pitch")).hasMessageContaining("unknown channel 'pitch'");
    }

    @Test
    void mismatchedNormalizationIsRefused() {
        Normalization two = new Normalization(new double[] {0, 0}, new double[] {1, 1});
        assertThatThrownBy(() -> new Preprocessor(List.of(Channel.X, Channel.Y, Channel.Z), two))
                .hasMessageContaining("3 channels");
        assertThatThrownBy(() -> new Normalization(new double[] {0}, new double[] {0}))
                .hasMessageContaining("positive");
    }
}
