package io.harstream.trainer.baseline;

import io.harstream.core.features.Channel;
import io.harstream.core.window.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-window statistics for the feature-based baseline: one window of raw samples becomes a
 * fixed-length {@code double[]}, in {@link #names()} order. Pure, deterministic, and independent of
 * the window length (frequencies are per sample, rates per pair of samples), so windows of any
 * length {@code >= 1} give comparable features.
 *
 * <p>For each of the channels x, y, z and |a| ({@link Channel#MAGNITUDE}, the shared definition):
 * <ul>
 *   <li>{@code mean}: on x, y and z the gravity direction, i.e. how the phone is held and the
 *       posture (standing vs sitting); on |a| about 1 g plus the average of the motion.</li>
 *   <li>{@code std}, {@code min}, {@code max}: how hard the body moves (walking vs jogging vs
 *       still) and the extreme impacts (heel strikes, jumps).</li>
 *   <li>{@code skew}, {@code kurt} (excess kurtosis): the shape of the motion: impacts give a
 *       lopsided, peaky distribution (a spike on one side), a smooth sway a flat one (a sine has
 *       kurtosis -1.5, noise 0).</li>
 *   <li>{@code p10}, {@code p25}, {@code p50}, {@code p75}, {@code p90}: the value distribution,
 *       robust to the odd spike that dominates min and max; the median is a robust posture
 *       estimate.</li>
 *   <li>{@code mad1} (mean absolute first difference): intensity as jerkiness, which separates
 *       fast, sharp motion from slow swaying of the same amplitude.</li>
 *   <li>{@code crossings}: the fraction of consecutive sample pairs on opposite sides of the
 *       channel mean, a cheap, noise-sensitive stand-in for the step frequency.</li>
 *   <li>{@code domfreq} and {@code domshare}: the strongest non-constant frequency of the window
 *       (cycles per sample; times the sample rate gives Hz) and its share of the non-constant
 *       power: the cadence, and how periodic the motion is (walking and stairs are regular,
 *       fidgeting is not). On leave-subjects-out folds of WISDM-2019 the spectra of x, y and z
 *       did better than |a|'s alone (BENCHMARKS.md#feature-baseline). They are most of the
 *       extraction cost: n/2 Goertzel bins of n samples per channel.</li>
 * </ul>
 * Plus the Pearson correlations {@code corr_xy}, {@code corr_xz}, {@code corr_yz}: which axes
 * move together, i.e. the direction of the motion relative to the phone (arm swing vs up-down
 * steps).
 *
 * <p>Degenerate cases have fixed values rather than NaN: a constant channel has std, skew, kurt,
 * crossings, domfreq and domshare 0, and correlation 0 with every other channel.
 */
public final class WindowFeatures {

    private static final Channel[] CHANNELS = {Channel.X, Channel.Y, Channel.Z, Channel.MAGNITUDE};

    private static final String[] PER_CHANNEL = {
        "mean", "std", "skew", "kurt", "min", "max", "p10", "p25", "p50", "p75", "p90", "mad1", "crossings",
        "domfreq", "domshare"};

    private static final double[] PERCENTILES = {0.10, 0.25, 0.50, 0.75, 0.90};

    private static final String[] CORRELATIONS = {"corr_xy", "corr_xz", "corr_yz"};

    /** Number of features, the length of every {@link #of} result. */
    public static final int COUNT = CHANNELS.length * PER_CHANNEL.length + CORRELATIONS.length;

    private static final List<String> NAMES = buildNames();

    private WindowFeatures() {
    }

    /** One name per feature, in the order of {@link #of}, e.g. {@code x_mean}, {@code magnitude_p90}, {@code corr_xy}. */
    public static List<String> names() {
        return NAMES;
    }

    private static List<String> buildNames() {
        List<String> names = new ArrayList<>(COUNT);
        for (Channel c : CHANNELS) {
            for (String f : PER_CHANNEL) {
                names.add(c.id() + "_" + f);
            }
        }
        names.addAll(Arrays.asList(CORRELATIONS));
        return List.copyOf(names);
    }

    /**
     * The features of one window, in {@link #names()} order.
     *
     * @throws IllegalArgumentException if the window has no samples or its axes differ in length
     */
    public static double[] of(Window window) {
        int n = window.length();
        if (n == 0) {
            throw new IllegalArgumentException("window has no samples");
        }
        float[] x = window.x();
        float[] y = window.y();
        float[] z = window.z();
        if (y.length != n || z.length != n) {
            throw new IllegalArgumentException(
                    "window axes differ in length: x " + n + ", y " + y.length + ", z " + z.length);
        }
        float[] magnitude = new float[n];
        for (int i = 0; i < n; i++) {
            magnitude[i] = Channel.magnitude(x[i], y[i], z[i]);
        }

        double[] out = new double[COUNT];
        double[] sorted = new double[n]; // reused for every channel: the one sorted copy
        float[][] series = {x, y, z, magnitude};
        double[] means = new double[4];
        int at = 0;
        for (int c = 0; c < series.length; c++) {
            float[] a = series[c];
            for (int i = 0; i < n; i++) {
                sorted[i] = a[i];
            }
            Arrays.sort(sorted);
            // A constant channel gets its value as the exact mean, so every deviation below is
            // exactly 0 (a summed mean can be off by a rounding error and fake a tiny signal).
            double mean = sorted[0] == sorted[n - 1] ? sorted[0] : mean(a);
            means[c] = mean;
            out[at++] = mean;
            at = moments(a, mean, out, at);
            out[at++] = sorted[0];
            out[at++] = sorted[n - 1];
            for (double p : PERCENTILES) {
                out[at++] = percentile(sorted, p);
            }
            out[at++] = meanAbsDiff(a);
            out[at++] = crossingRate(a, mean);
            at = dominantFrequency(a, mean, out, at);
        }
        out[at++] = correlation(x, means[0], y, means[1]);
        out[at++] = correlation(x, means[0], z, means[2]);
        out[at++] = correlation(y, means[1], z, means[2]);
        assert at == COUNT;
        return out;
    }

    private static double mean(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += v;
        }
        return sum / a.length;
    }

    /**
     * Writes the population standard deviation (divides by n), the skewness m3 / m2^1.5 and the
     * excess kurtosis m4 / m2^2 - 3 (central moments about the given mean); skewness and kurtosis
     * are 0 for a constant channel.
     */
    private static int moments(float[] a, double mean, double[] out, int at) {
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (float v : a) {
            double d = v - mean;
            double d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= a.length;
        m3 /= a.length;
        m4 /= a.length;
        out[at++] = Math.sqrt(m2);
        out[at++] = m2 > 0 ? m3 / (m2 * Math.sqrt(m2)) : 0;
        out[at++] = m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
        return at;
    }

    /** Linear interpolation between closest ranks (numpy's default): position p * (n - 1). */
    static double percentile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    private static double meanAbsDiff(float[] a) {
        if (a.length < 2) {
            return 0;
        }
        double sum = 0;
        for (int i = 1; i < a.length; i++) {
            sum += Math.abs((double) a[i] - a[i - 1]);
        }
        return sum / (a.length - 1);
    }

    /** Fraction of the n - 1 consecutive pairs strictly on opposite sides of the mean. */
    private static double crossingRate(float[] a, double mean) {
        if (a.length < 2) {
            return 0;
        }
        int crossings = 0;
        double prev = a[0] - mean;
        for (int i = 1; i < a.length; i++) {
            double d = a[i] - mean;
            if ((prev < 0 && d > 0) || (prev > 0 && d < 0)) {
                crossings++;
            }
            prev = d;
        }
        return (double) crossings / (a.length - 1);
    }

    /**
     * Writes the dominant frequency (cycles per sample, bins 1..n/2 of the DFT, the lowest on a tie)
     * and that bin's share of the total power of those bins; both 0 when the channel is constant.
     * Goertzel's recurrence per bin: no tables, no allocation, O(n^2 / 2) per channel.
     */
    private static int dominantFrequency(float[] a, double mean, double[] out, int at) {
        int n = a.length;
        double total = 0;
        double best = 0;
        int bestK = 0;
        for (int k = 1; k <= n / 2; k++) {
            double coeff = 2 * Math.cos(2 * Math.PI * k / n);
            double s1 = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double s = (a[i] - mean) + coeff * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            double power = Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2);
            total += power;
            if (power > best) {
                best = power;
                bestK = k;
            }
        }
        if (bestK == 0) { // constant channel (or a single sample): no frequency at all
            out[at++] = 0;
            out[at++] = 0;
        } else {
            out[at++] = (double) bestK / n;
            out[at++] = best / total;
        }
        return at;
    }

    /** Pearson correlation; 0 when either channel is constant. */
    private static double correlation(float[] a, double meanA, float[] b, double meanB) {
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - meanA;
            double db = b[i] - meanB;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa <= 0 || sbb <= 0) {
            return 0;
        }
        double r = sab / Math.sqrt(saa * sbb);
        return Math.max(-1, Math.min(1, r));
    }
}
