package io.harstream.core.window;

/**
 * How windows are cut from a series: {@code length} samples every {@code hop} samples. A series
 * breaks where consecutive timestamps step back or are more than {@code maxGapMs} apart.
 *
 * <p>Counted in samples, not milliseconds: the model sees exactly {@code length} time steps whatever
 * the device's clock jitter, which is how the seed cut its windows.
 */
public record WindowSpec(int length, int hop, long maxGapMs) {

    /** The seed's windows: 200 samples (10 s at 20 Hz), a new window every 20 samples (1 s). */
    public static final WindowSpec DEFAULT = new WindowSpec(200, 20, 1_000);

    public WindowSpec {
        if (length < 1) {
            throw new IllegalArgumentException("window length must be at least 1 sample, got " + length);
        }
        if (hop < 1) {
            throw new IllegalArgumentException("window hop must be at least 1 sample, got " + hop);
        }
        if (maxGapMs < 1) {
            throw new IllegalArgumentException("maximum gap must be at least 1 ms, got " + maxGapMs);
        }
    }
}
