package io.harstream.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.harstream.core.window.Window;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowFeaturesTest {

    private static final int N = 100;

    private static Window window(float[] x, float[] y, float[] z) {
        return new Window(0, 1, x, y, z, 0);
    }

    private static float[] constant(float v) {
        float[] a = new float[N];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static float[] ramp() {
        float[] a = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double feature(double[] f, String name) {
        int i = WindowFeatures.names().indexOf(name);
        assertThat(i).as("feature %s exists", name).isNotNegative();
        return f[i];
    }

    @Test
    void oneDistinctNamePerFeature() {
        List<String> names = WindowFeatures.names();
        double[] f = WindowFeatures.of(window(ramp(), constant(9.81f), constant(0.1f)));
        assertThat(names).hasSize(f.length).hasSize(WindowFeatures.COUNT);
        assertThat(new HashSet<>(names)).hasSize(names.size());
        assertThat(names).startsWith("x_mean").contains("magnitude_p90", "corr_xy", "corr_xz", "corr_yz");
        assertThat(WindowFeatures.COUNT).isEqualTo(63);
    }

    @Test
    void constantChannelHasNoSpreadNoCrossingsNoFrequency() {
        double[] f = WindowFeatures.of(window(ramp(), constant(9.81f), constant(0.1f)));
        assertThat(feature(f, "y_mean")).isEqualTo(9.81f);
        assertThat(feature(f, "y_std")).isZero();
        assertThat(feature(f, "y_mad1")).isZero();
        assertThat(feature(f, "y_crossings")).isZero();
        assertThat(feature(f, "y_skew")).isZero();
        assertThat(feature(f, "y_kurt")).isZero();
        assertThat(feature(f, "y_domfreq")).isZero();
        assertThat(feature(f, "y_domshare")).isZero();
        for (String p : List.of("y_min", "y_max", "y_p10", "y_p25", "y_p50", "y_p75", "y_p90")) {
            assertThat(feature(f, p)).as(p).isEqualTo(9.81f);
        }
        // correlation with a constant channel is defined as 0, not NaN
        assertThat(feature(f, "corr_xy")).isZero();
        assertThat(feature(f, "corr_yz")).isZero();
        for (double v : f) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void stillPhoneHasNoFrequency() {
        double[] f = WindowFeatures.of(window(constant(0.3f), constant(9.81f), constant(-0.2f)));
        assertThat(feature(f, "magnitude_std")).isZero();
        assertThat(feature(f, "magnitude_crossings")).isZero();
        assertThat(feature(f, "magnitude_domfreq")).isZero();
        assertThat(feature(f, "magnitude_domshare")).isZero();
        assertThat(feature(f, "corr_xy")).isZero();
        assertThat(feature(f, "corr_xz")).isZero();
        assertThat(feature(f, "corr_yz")).isZero();
    }

    @Test
    void rampHasKnownStatistics() {
        // x = 0..99, y = z = 0, so |a| is the ramp too
        double[] f = WindowFeatures.of(window(ramp(), constant(0), constant(0)));
        for (String c : List.of("x", "magnitude")) {
            assertThat(feature(f, c + "_mean")).isCloseTo(49.5, within(1e-9));
            assertThat(feature(f, c + "_min")).isZero();
            assertThat(feature(f, c + "_max")).isEqualTo(99);
            assertThat(feature(f, c + "_p50")).isCloseTo(49.5, within(1e-9));
            assertThat(feature(f, c + "_p10")).isCloseTo(9.9, within(1e-9));
            assertThat(feature(f, c + "_p25")).isCloseTo(24.75, within(1e-9));
            assertThat(feature(f, c + "_p90")).isCloseTo(89.1, within(1e-9));
            // population std of 0..n-1: sqrt((n^2 - 1) / 12)
            assertThat(feature(f, c + "_std")).isCloseTo(Math.sqrt((N * N - 1) / 12.0), within(1e-9));
            assertThat(feature(f, c + "_mad1")).isCloseTo(1, within(1e-12));
            // crosses its mean once, between 49 and 50
            assertThat(feature(f, c + "_crossings")).isCloseTo(1.0 / (N - 1), within(1e-12));
        }
    }

    @Test
    void bounceHasItsFrequencyCrossingsAndShape() {
        // gravity on x plus 5 cycles of a 3 m/s^2 bounce in 100 samples, half a sample off so no
        // sample sits on the mean; y = z = 0, so |a| is x itself
        float[] s = new float[N];
        for (int i = 0; i < N; i++) {
            s[i] = (float) (9.81 + 3 * Math.sin(2 * Math.PI * 5 * (i + 0.5) / N));
        }
        double[] f = WindowFeatures.of(window(s, constant(0), constant(0)));
        for (String c : List.of("x", "magnitude")) {
            assertThat(feature(f, c + "_domfreq")).isCloseTo(0.05, within(1e-12));
            assertThat(feature(f, c + "_domshare")).isGreaterThan(0.99);
            assertThat(feature(f, c + "_crossings")).isCloseTo(9.0 / (N - 1), within(1e-12));
            assertThat(feature(f, c + "_std")).isCloseTo(3 / Math.sqrt(2), within(1e-5));
            assertThat(feature(f, c + "_mean")).isCloseTo(9.81, within(1e-5));
            // a sine is symmetric (skew 0) and flat-topped (excess kurtosis -1.5)
            assertThat(feature(f, c + "_skew")).isCloseTo(0, within(1e-4));
            assertThat(feature(f, c + "_kurt")).isCloseTo(-1.5, within(1e-4));
        }
    }

    @Test
    void singleSpikeIsSkewedAndPeaky() {
        // one 1 among 99 zeros: a Bernoulli(p = 0.01) sample, whose moments are known in closed form
        float[] spike = new float[N];
        spike[30] = 1;
        double p = 1.0 / N;
        double[] f = WindowFeatures.of(window(spike, constant(0), constant(0)));
        assertThat(feature(f, "x_skew")).isCloseTo((1 - 2 * p) / Math.sqrt(p * (1 - p)), within(1e-9));
        assertThat(feature(f, "x_kurt")).isCloseTo((1 - 6 * p * (1 - p)) / (p * (1 - p)), within(1e-6));
        assertThat(feature(f, "x_mad1")).isCloseTo(2.0 / (N - 1), within(1e-12));
        assertThat(feature(f, "x_p90")).isZero();
        assertThat(feature(f, "x_max")).isEqualTo(1);
    }

    @Test
    void noisyBounceStillShowsItsCadence() {
        // 2 Hz steps at 20 Hz over 10 s under noise: 20 cycles in 200 samples
        Random r = new Random(3);
        int n = 200;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * r.nextGaussian());
            y[i] = (float) (9.81 + 3 * Math.sin(2 * Math.PI * 2 * i / 20.0) + 0.5 * r.nextGaussian());
            z[i] = (float) (0.5 * r.nextGaussian());
        }
        double[] f = WindowFeatures.of(window(x, y, z));
        assertThat(feature(f, "magnitude_domfreq") * 20).as("Hz").isCloseTo(2, within(1e-9));
        assertThat(feature(f, "magnitude_domshare")).isBetween(0.5, 1.0);
    }

    @Test
    void correlatedAxes() {
        Random r = new Random(1);
        float[] x = new float[N];
        float[] y = new float[N];
        float[] z = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian();
            y[i] = 2 * x[i] + 5; // perfectly correlated
            z[i] = -x[i]; // perfectly anti-correlated
        }
        double[] f = WindowFeatures.of(window(x, y, z));
        assertThat(feature(f, "corr_xy")).isCloseTo(1, within(1e-6));
        assertThat(feature(f, "corr_xz")).isCloseTo(-1, within(1e-6));
        assertThat(feature(f, "corr_yz")).isCloseTo(-1, within(1e-6));
    }

    @Test
    void deterministicAndLengthOneWindowsWork() {
        Random r = new Random(7);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Window w = window(x, ramp(), constant(1));
        assertThat(WindowFeatures.of(w)).containsExactly(WindowFeatures.of(w));

        double[] single = WindowFeatures.of(window(new float[] {1}, new float[] {2}, new float[] {2}));
        assertThat(single).hasSize(WindowFeatures.COUNT);
        assertThat(feature(single, "magnitude_mean")).isCloseTo(3, within(1e-6));
        for (double v : single) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void rejectsEmptyAndRaggedWindows() {
        assertThatThrownBy(() -> WindowFeatures.of(window(new float[0], new float[0], new float[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no samples");
        assertThatThrownBy(() -> WindowFeatures.of(window(new float[3], new float[2], new float[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in length");
    }
}
