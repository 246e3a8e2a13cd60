package io.harstream.core.data;

import java.util.Arrays;

/**
 * Puts an irregularly or too densely sampled series onto a fixed time grid by linear interpolation.
 *
 * <p>Linear, not sinc or polyphase: the series are short accelerometer blocks whose useful content
 * (gait, a few Hz) sits well below the target Nyquist rate, and linear interpolation never produces
 * values outside the neighbouring readings, so it cannot invent spikes. It does not low-pass filter
 * before downsampling; at 25 or 50 Hz -> 20 Hz phone data the aliasing this allows is small next to
 * the sensor's own noise.
 *
 * <p>The grid never bridges a step back in time or a gap longer than {@code maxGapNs}: each
 * increasing, gap-free run gets its own grid starting at its first timestamp, so the output keeps
 * the breaks the segmenter needs to see and no samples are made up across missing data.
 */
public final class Resampler {

    /** The output of {@link #resample}: times and one array per channel, all of the same length. */
    public record Resampled(long[] times, float[][] channels) {
        public int size() {
            return times.length;
        }
    }

    private Resampler() {
    }

    /**
     * The median of the positive differences between consecutive times among the first {@code n},
     * or 0 when there are none. Steps back and duplicates are left out: they are breaks, not rates.
     * The median rather than the mean because one long pause would otherwise drag a 50 Hz block
     * towards "looks like 20 Hz".
     */
    public static long medianInterval(long[] times, int n) {
        long[] d = new long[Math.max(0, n - 1)];
        int m = 0;
        for (int i = 1; i < n; i++) {
            long step = times[i] - times[i - 1];
            if (step > 0) {
                d[m++] = step;
            }
        }
        if (m == 0) {
            return 0;
        }
        Arrays.sort(d, 0, m);
        return m % 2 == 1 ? d[m / 2] : d[m / 2 - 1] + (d[m / 2] - d[m / 2 - 1]) / 2;
    }

    /**
     * Resamples the first {@code n} points of a series to one point every {@code periodNs}.
     *
     * @param times    sample times (any unit, typically ns); steps back and gaps over {@code maxGapNs}
     *                 start a new run
     * @param channels values, one array per channel, each at least {@code n} long
     * @param periodNs output spacing, > 0
     * @param maxGapNs longest interval that is interpolated across, > 0
     */
    public static Resampled resample(long[] times, float[][] channels, int n, long periodNs, long maxGapNs) {
        if (periodNs <= 0 || maxGapNs <= 0) {
            throw new IllegalArgumentException("period and max gap must be positive: " + periodNs + ", " + maxGapNs);
        }
        // First pass: how many grid points each run gets, so the output is allocated once.
        int total = 0;
        for (int from = 0; from < n; ) {
            int to = runEnd(times, n, from, maxGapNs);
            total += gridSize(times[from], times[to - 1], periodNs);
            from = to;
        }
        long[] outTimes = new long[total];
        float[][] outChannels = new float[channels.length][total];
        int k = 0;
        for (int from = 0; from < n; ) {
            int to = runEnd(times, n, from, maxGapNs);
            k = resampleRun(times, channels, from, to, periodNs, outTimes, outChannels, k);
            from = to;
        }
        return new Resampled(outTimes, outChannels);
    }

    /** The exclusive end of the increasing, gap-free run starting at {@code from}. */
    private static int runEnd(long[] times, int n, int from, long maxGapNs) {
        int i = from + 1;
        while (i < n && times[i] > times[i - 1] && times[i] - times[i - 1] <= maxGapNs) {
            i++;
        }
        return i;
    }

    private static int gridSize(long first, long last, long periodNs) {
        return Math.toIntExact((last - first) / periodNs + 1);
    }

    private static int resampleRun(long[] times, float[][] channels, int from, int to, long periodNs,
                                   long[] outTimes, float[][] outChannels, int k) {
        int count = gridSize(times[from], times[to - 1], periodNs);
        int j = from;
        for (int g = 0; g < count; g++, k++) {
            long t = times[from] + g * periodNs;
            // Invariant: times[j] <= t; advance to the segment [times[j], times[j+1]) holding t.
            while (j < to - 1 && times[j + 1] <= t) {
                j++;
            }
            outTimes[k] = t;
            if (j == to - 1) {
                for (int c = 0; c < channels.length; c++) {
                    outChannels[c][k] = channels[c][j];
                }
            } else {
                double frac = (double) (t - times[j]) / (times[j + 1] - times[j]);
                for (int c = 0; c < channels.length; c++) {
                    float a = channels[c][j];
                    outChannels[c][k] = (float) (a + (channels[c][j + 1] - (double) a) * frac);
                }
            }
        }
        return k;
    }
}
