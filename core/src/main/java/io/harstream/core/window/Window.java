package io.harstream.core.window;

/**
 * One window of raw samples, oldest first.
 *
 * @param startTs timestamp of the first sample (ms)
 * @param endTs   timestamp of the last sample (ms)
 * @param x       raw x axis, {@code length} values
 * @param y       raw y axis
 * @param z       raw z axis
 * @param label   index of the majority activity among the window's labelled samples in the
 *                segmenter's class list, or {@link #UNLABELLED} when no sample carried a known label
 */
public record Window(long startTs, long endTs, float[] x, float[] y, float[] z, int label) {

    public static final int UNLABELLED = -1;

    public int length() {
        return x.length;
    }

    public boolean labelled() {
        return label != UNLABELLED;
    }
}
