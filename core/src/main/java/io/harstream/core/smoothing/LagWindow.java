package io.harstream.core.smoothing;

import java.util.Arrays;

/**
 * A window of a device's current run whose fixed-lag label still waits for later windows: what
 * {@link FixedLagSmoother} needs of it to compute that label once they came (or the run ended), and what the
 * label is reported with.
 *
 * @param windowStart   the window's start (epoch ms)
 * @param windowEnd     the window's end (epoch ms), reported with the label
 * @param label         the window's true class index, or {@link LaggedLabel#UNLABELLED}; reported with the label
 * @param probabilities the network's probabilities for the window (its emission, for the windows before it)
 * @param belief        the causal filter's belief after the window ({@code α_t})
 */
public record LagWindow(long windowStart, long windowEnd, int label, float[] probabilities, double[] belief) {

    @Override
    public boolean equals(Object o) {
        return o instanceof LagWindow w && windowStart == w.windowStart && windowEnd == w.windowEnd
                && label == w.label && Arrays.equals(probabilities, w.probabilities) && Arrays.equals(belief, w.belief);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(windowStart) * 31 + Long.hashCode(windowEnd)) * 31 + label
                + Arrays.hashCode(probabilities) * 7 + Arrays.hashCode(belief);
    }

    @Override
    public String toString() {
        return "LagWindow[windowStart=" + windowStart + ", windowEnd=" + windowEnd + ", label=" + label
                + ", probabilities=" + Arrays.toString(probabilities) + ", belief=" + Arrays.toString(belief) + "]";
    }
}
