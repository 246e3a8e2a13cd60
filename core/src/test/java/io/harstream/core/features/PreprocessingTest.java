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
    void verticalAndHorizontalSplitEachSampleAlongAndAcrossTheMeanDirection() {
        // Gravity along y (mean (0, 9, 0)); a bounce of +-1 along y and a sway of +-0.5 along x.
        Window w = window(new float[] {0.5f, -0.5f, 0.5f, -0.5f}, new float[] {10, 8, 10, 8}, new float[4]);
        float[] vertical = new float[4];
        float[] horizontal = new float[4];
        Channel.VERTICAL.fill(w, vertical, 0);
        Channel.HORIZONTAL.fill(w, horizontal, 0);
        assertThat(vertical).containsExactly(new float[] {10, 8, 10, 8}, within(1e-5f));
        assertThat(horizontal).containsExactly(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, within(1e-5f));
    }

    /** The point of vertical and horizontal: the same values however the phone is turned in the pocket. */
    @Test
    void verticalAndHorizontalDoNotDependOnThePhonesOrientation() {
        java.util.Random random = new java.util.Random(7);
        int n = 50;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int t = 0; t < n; t++) {
            x[t] = 1.5f + (float) random.nextGaussian();
            y[t] = 9.0f + (float) random.nextGaussian();
            z[t] = -2f + (float) random.nextGaussian();
        }
        // A rotation by 70 degrees about (1, 2, 3) / |(1, 2, 3)| (Rodrigues).
        double[] k = {1 / Math.sqrt(14), 2 / Math.sqrt(14), 3 / Math.sqrt(14)};
        double c = Math.cos(Math.toRadians(70));
        double sn = Math.sin(Math.toRadians(70));
        float[] rx = new float[n];
        float[] ry = new float[n];
        float[] rz = new float[n];
        for (int t = 0; t < n; t++) {
            double[] v = {x[t], y[t], z[t]};
            double dot = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
            double[] cross = {k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]};
            rx[t] = (float) (v[0] * c + cross[0] * sn + k[0] * dot * (1 - c));
            ry[t] = (float) (v[1] * c + cross[1] * sn + k[1] * dot * (1 - c));
            rz[t] = (float) (v[2] * c + cross[2] * sn + k[2] * dot * (1 - c));
        }
        Window phone = window(x, y, z);
        Window turned = window(rx, ry, rz);
        for (Channel ch : List.of(Channel.VERTICAL, Channel.HORIZONTAL, Channel.MAGNITUDE, Channel.JERK)) {
            float[] a = new float[n];
            float[] b = new float[n];
            ch.fill(phone, a, 0);
            ch.fill(turned, b, 0);
            assertThat(b).as(ch.id()).containsExactly(a, within(1e-4f));
        }
        float[] a = new float[n];
        float[] b = new float[n];
        Channel.X.fill(phone, a, 0);
        Channel.X.fill(turned, b, 0);
        assertThat(b).as("x does turn with the phone").isNotEqualTo(a);
    }

    @Test
    void jerkIsTheSizeOfTheChangeSinceThePreviousSample() {
        // Still, then a (3, 4, 0) change, then still again; gravity along y does not enter.
        Window w = window(new float[] {0, 0, 3, 3}, new float[] {9, 9, 13, 13}, new float[] {1, 1, 1, 1});
        float[] jerk = new float[5];
        Channel.JERK.fill(w, jerk, 1);
        assertThat(jerk).containsExactly(new float[] {0, 0, 0, 5, 0}, within(1e-6f));
        Window moving = window(new float[] {1, 2, 4}, new float[] {0, 0, 0}, new float[] {0, 0, 0});
        float[] first = new float[3];
        Channel.JERK.fill(moving, first, 0);
        assertThat(first).as("the first sample takes the second's value").containsExactly(1, 1, 2);
        float[] one = {7};
        Channel.JERK.fill(window(new float[] {1}, new float[] {2}, new float[] {3}), one, 0);
        assertThat(one).containsExactly(0);
    }

    @Test
    void aWindowWithoutMeanAccelerationUsesTheYAxisAsVertical() {
        Window w = window(new float[] {1, -1}, new float[] {2, -2}, new float[] {0, 0});
        float[] vertical = new float[2];
        Channel.VERTICAL.fill(w, vertical, 0);
        assertThat(vertical).containsExactly(2, -2);
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
