package io.harstream.streamapp.quality;

import io.harstream.core.window.Window;

import java.util.EnumSet;
import java.util.Set;

/**
 * The input-data checks of one window, against the model's window length and sample rate. Pure and cheap (one
 * pass over the samples); it reads the raw window as cut, in the phone's own axes.
 *
 * <p>The thresholds are wide on purpose: a share of windows over them is an alert, so a healthy phone must
 * practically never cross them. Over the WISDM 2019 test people the mean |a| of a window lies between 9.1
 * (sitting) and 15.1 m/s^2 (jogging), the stillest axis moves by a standard deviation of at least 0.015 m/s^2,
 * and windows span within 1 % of their nominal time (see BENCHMARKS.md, "Quality without labels").
 *
 * @param length       samples per window (the bundle's window length)
 * @param sampleRateHz the sample rate the model's windows assume
 */
public record WindowQuality(int length, double sampleRateHz) {

    /** Standard gravity, m/s^2. */
    public static final double GRAVITY = 9.80665;
    /** A window whose mean |a| is below this share of gravity is {@link WindowProblem#GRAVITY_OFF} (in g: ~0.1). */
    public static final double GRAVITY_LOW = 0.5;
    /**
     * ... or above this share of gravity. Vigorous jogging reaches about 1.53 g on average over a window; a phone
     * hitting a hard surface or a sensor in other units goes beyond.
     */
    public static final double GRAVITY_HIGH = 2.0;
    /**
     * An axis whose standard deviation over the window is below this (m/s^2) is {@link WindowProblem#FLAT_AXIS}:
     * a real sensor at rest still wanders by about 0.01-0.05, a stuck one repeats one value.
     */
    public static final double FLAT_SD = 1e-3;
    /** A window whose span is off its nominal span by more than this share is {@link WindowProblem#RATE_OFF}. */
    public static final double RATE_TOLERANCE = 0.25;

    public WindowQuality {
        if (length < 2) {
            throw new IllegalArgumentException("a window needs at least 2 samples to check, got " + length);
        }
        if (!(sampleRateHz > 0) || !Double.isFinite(sampleRateHz)) {
            throw new IllegalArgumentException("sample rate must be positive and finite, got " + sampleRateHz);
        }
    }

    /** The span of a window at the nominal rate: first to last sample, ms. */
    public double nominalSpanMs() {
        return (length - 1) * 1000.0 / sampleRateHz;
    }

    /** The problems {@code w} shows; empty for a healthy window. */
    public Set<WindowProblem> problems(Window w) {
        Set<WindowProblem> found = EnumSet.noneOf(WindowProblem.class);
        int n = w.length();
        double magnitude = 0;
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        float[][] axes = {w.x(), w.y(), w.z()};
        for (int t = 0; t < n; t++) {
            double x = w.x()[t];
            double y = w.y()[t];
            double z = w.z()[t];
            magnitude += Math.sqrt(x * x + y * y + z * z);
            for (int a = 0; a < 3; a++) {
                double v = axes[a][t];
                sum[a] += v;
                sumSq[a] += v * v;
            }
        }
        double meanMagnitude = magnitude / n;
        if (meanMagnitude < GRAVITY_LOW * GRAVITY || meanMagnitude > GRAVITY_HIGH * GRAVITY) {
            found.add(WindowProblem.GRAVITY_OFF);
        }
        for (int a = 0; a < 3; a++) {
            double mean = sum[a] / n;
            // Variance from sums: exact enough at this threshold (values within ±160, float samples).
            double variance = Math.max(0, sumSq[a] / n - mean * mean);
            if (Math.sqrt(variance) < FLAT_SD) {
                found.add(WindowProblem.FLAT_AXIS);
                break;
            }
        }
        double span = w.endTs() - w.startTs();
        if (Math.abs(span - nominalSpanMs()) > RATE_TOLERANCE * nominalSpanMs()) {
            found.add(WindowProblem.RATE_OFF);
        }
        return found;
    }
}
