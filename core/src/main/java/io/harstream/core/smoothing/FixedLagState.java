package io.harstream.core.smoothing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One device's fixed-lag smoother state after a window: the causal filter's state and the windows of its current run
 * whose lagged labels are not final yet, oldest first (with a lag, the last one is the filter's window). After a step
 * of a smoother with lag {@code L}, at most {@code L} windows wait. Immutable.
 *
 * <p>{@link #toBytes} is lossless (probabilities and beliefs bit for bit), so a state kept in a store continues
 * exactly as one kept in memory. Its body starts like a {@link SmootherState}'s, so that a store written with a lag is
 * read by a causal-only app ({@link SmootherState#fromBytes}), and a {@link SmootherState}'s bytes are read here as
 * a state with no window waiting (a lag switched on continues the filter; earlier windows keep their causal label).
 *
 * @param filter  the causal filter's state after the last window, or null before the device's first window
 * @param waiting windows of the filter's run without a final lagged label, oldest first
 */
public record FixedLagState(SmootherState filter, List<LagWindow> waiting) {

    static final byte FORMAT = 2;

    public FixedLagState {
        waiting = List.copyOf(waiting);
    }

    /**
     * Format byte, the {@link SmootherState} body (12 + 8 per class bytes), the number of waiting windows (2 bytes),
     * then each: start, end, label (20 bytes), probabilities (4 per class), belief (8 per class).
     */
    public byte[] toBytes() {
        if (filter == null) {
            throw new IllegalStateException("no window yet: nothing to store");
        }
        int k = filter.belief().length;
        ByteBuffer buf = ByteBuffer.allocate(1 + filter.size() + 2 + waiting.size() * (20 + 12 * k));
        buf.put(FORMAT);
        filter.write(buf);
        buf.putShort((short) waiting.size());
        for (LagWindow w : waiting) {
            buf.putLong(w.windowStart()).putLong(w.windowEnd()).putInt(w.label());
            for (float p : w.probabilities()) {
                buf.putFloat(p);
            }
            for (double b : w.belief()) {
                buf.putDouble(b);
            }
        }
        return buf.array();
    }

    /** Reads {@link #toBytes}, or a {@link SmootherState}'s bytes (no window waiting); refuses another format. */
    public static FixedLagState fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format == SmootherState.FORMAT) {
            return new FixedLagState(SmootherState.read(buf), List.of());
        }
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown fixed-lag smoother state format " + format);
        }
        SmootherState filter = SmootherState.read(buf);
        int k = filter.belief().length;
        int n = buf.getShort();
        List<LagWindow> waiting = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long start = buf.getLong();
            long end = buf.getLong();
            int label = buf.getInt();
            float[] p = new float[k];
            for (int j = 0; j < k; j++) {
                p[j] = buf.getFloat();
            }
            double[] belief = new double[k];
            for (int j = 0; j < k; j++) {
                belief[j] = buf.getDouble();
            }
            waiting.add(new LagWindow(start, end, label, p, belief));
        }
        return new FixedLagState(filter, waiting);
    }
}
