package io.harstream.core.smoothing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One device's filter state after a window: when that window started and the belief over the classes.
 * Immutable; {@link ActivitySmoother#step} returns a new one. {@link #toBytes} is lossless (the belief's doubles
 * bit for bit), so a state that goes through a store and back continues exactly as one kept in memory: the
 * stream-app's smoothed predictions equal the trainer's.
 *
 * @param windowStart start of the last window filtered (epoch ms)
 * @param belief      posterior probability of each class given the device's windows so far, sums to 1
 * @param restarted   whether this window started the filter over (first window, a gap, a step back)
 */
public record SmootherState(long windowStart, double[] belief, boolean restarted) {

    static final byte FORMAT = 1;

    /** The most probable class (the first one on ties). */
    public int predicted() {
        int best = 0;
        for (int i = 1; i < belief.length; i++) {
            if (belief[i] > belief[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The belief as single-precision probabilities, as the prediction record carries them. */
    public float[] probabilities() {
        float[] p = new float[belief.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) belief[i];
        }
        return p;
    }

    /** Format byte, window start, restart flag, class count, then the belief: 12 + 8 per class bytes. */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(1 + size());
        buf.put(FORMAT);
        write(buf);
        return buf.array();
    }

    /**
     * Reads {@link #toBytes}; also reads the filter part of a {@link FixedLagState} (a store written with a fixed
     * lag, read without one: the windows waiting for their lagged labels are dropped). Refuses another format.
     */
    public static SmootherState fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT && format != FixedLagState.FORMAT) {
            throw new IllegalArgumentException("unknown smoother state format " + format);
        }
        return read(buf);
    }

    /** Bytes of {@link #write}. */
    int size() {
        return 8 + 1 + 2 + 8 * belief.length;
    }

    /** Window start, restart flag, class count, belief: the body of both state formats. */
    void write(ByteBuffer buf) {
        buf.putLong(windowStart).put((byte) (restarted ? 1 : 0)).putShort((short) belief.length);
        for (double b : belief) {
            buf.putDouble(b);
        }
    }

    static SmootherState read(ByteBuffer buf) {
        long start = buf.getLong();
        boolean restarted = buf.get() != 0;
        double[] belief = new double[buf.getShort()];
        for (int i = 0; i < belief.length; i++) {
            belief[i] = buf.getDouble();
        }
        return new SmootherState(start, belief, restarted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmootherState s && windowStart == s.windowStart && restarted == s.restarted
                && Arrays.equals(belief, s.belief);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(windowStart) * 31 + Arrays.hashCode(belief) + (restarted ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SmootherState[windowStart=" + windowStart + ", belief=" + Arrays.toString(belief) + ", restarted="
                + restarted + "]";
    }
}
