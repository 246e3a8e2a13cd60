package io.harstream.core.features;

import io.harstream.core.window.Window;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Turns raw windows into network input: the bundle's channels, standardized with the bundle's
 * statistics, laid out as DL4J's recurrent format {@code [batch, channel, time]}. The trainer and
 * the stream-app both call this; nothing else computes network inputs.
 */
public final class Preprocessor {

    private final List<Channel> channels;
    private final Normalization normalization;

    public Preprocessor(List<Channel> channels, Normalization normalization) {
        if (channels.size() != normalization.channels()) {
            throw new IllegalArgumentException(channels.size() + " channels but normalization for "
                    + normalization.channels());
        }
        this.channels = List.copyOf(channels);
        this.normalization = normalization;
    }

    public List<Channel> channels() {
        return channels;
    }

    public Normalization normalization() {
        return normalization;
    }

    /**
     * Writes one window's normalized channels into {@code dest} at {@code offset}, channel-major:
     * {@code dest[offset + c * length + t]}.
     */
    public void fill(Window w, float[] dest, int offset) {
        int len = w.length();
        double[] mean = normalization.mean();
        double[] std = normalization.std();
        for (int c = 0; c < channels.size(); c++) {
            float m = (float) mean[c];
            float inv = (float) (1.0 / std[c]);
            int base = offset + c * len;
            channels.get(c).fill(w, dest, base);
            for (int t = base; t < base + len; t++) {
                dest[t] = (dest[t] - m) * inv;
            }
        }
    }

    /** Network input for a batch of equally long windows: shape {@code [n, channels, length]}. */
    public INDArray features(List<Window> windows) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows");
        }
        int len = windows.get(0).length();
        int per = channels.size() * len;
        float[] data = new float[windows.size() * per];
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (w.length() != len) {
                throw new IllegalArgumentException("window " + i + " has " + w.length() + " samples, expected " + len);
            }
            fill(w, data, i * per);
        }
        return Nd4j.create(data, new long[] {windows.size(), channels.size(), len}, 'c');
    }
}
