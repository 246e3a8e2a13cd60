package io.harstream.core.features;

import io.harstream.core.window.Window;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Per-channel standardization, {@code (v - mean) / std}. Fitted on the training windows only and
 * stored in the bundle, so the test set and live events are scaled with the training statistics.
 */
public record Normalization(double[] mean, double[] std) {

    /** Below this the channel is treated as constant, and divided by 1 instead. */
    private static final double MIN_STD = 1e-6;

    public Normalization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values, std " + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("standard deviations must be positive and finite: "
                        + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Mean and standard deviation of every channel over every sample of {@code windows}. */
    public static Normalization fit(Collection<Window> windows, List<Channel> channels) {
        int c = channels.size();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        long n = 0;
        float[] values = new float[0];
        for (Window w : windows) {
            if (values.length < w.length()) {
                values = new float[w.length()];
            }
            for (int k = 0; k < c; k++) {
                channels.get(k).fill(w, values, 0);
                for (int t = 0; t < w.length(); t++) {
                    double v = values[t];
                    sum[k] += v;
                    sumSq[k] += v * v;
                }
            }
            n += w.length();
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot fit a normalization on no windows");
        }
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int k = 0; k < c; k++) {
            mean[k] = sum[k] / n;
            double var = Math.max(0, sumSq[k] / n - mean[k] * mean[k]);
            std[k] = Math.max(Math.sqrt(var), MIN_STD);
        }
        return new Normalization(mean, std);
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
