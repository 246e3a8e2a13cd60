package io.harstream.core.window;

import java.nio.ByteBuffer;

/**
 * The running state of one series (one device online, one recording offline): the last
 * {@code length} samples in a ring, how many samples the series has had, and the previous sample for
 * gap and duplicate checks. {@link Segmenter} is the only code that changes it.
 *
 * <p>Compact binary form ({@link #toBytes()}) so the stream-app can keep one per device in a
 * fault-tolerant state store.
 */
public final class SeriesBuffer {

    private static final byte FORMAT = 1;

    final int capacity;
    final long[] ts;
    final float[] x;
    final float[] y;
    final float[] z;
    final short[] label;
    /** Index the next sample is written to. */
    int head;
    /** Samples since the series started (not capped). */
    long seen;

    public SeriesBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.ts = new long[capacity];
        this.x = new float[capacity];
        this.y = new float[capacity];
        this.z = new float[capacity];
        this.label = new short[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** Samples since the series (re)started. */
    public long seen() {
        return seen;
    }

    public boolean isEmpty() {
        return seen == 0;
    }

    /** Timestamp of the newest sample; only meaningful when not empty. */
    public long lastTimestamp() {
        return ts[previous(head)];
    }

    void clear() {
        head = 0;
        seen = 0;
    }

    void append(long t, float vx, float vy, float vz, int lbl) {
        ts[head] = t;
        x[head] = vx;
        y[head] = vy;
        z[head] = vz;
        label[head] = (short) lbl;
        head = (head + 1) % capacity;
        seen++;
    }

    boolean isSameAsLast(long t, float vx, float vy, float vz) {
        int last = previous(head);
        return ts[last] == t && Float.compare(x[last], vx) == 0 && Float.compare(y[last], vy) == 0
                && Float.compare(z[last], vz) == 0;
    }

    int previous(int i) {
        return (i - 1 + capacity) % capacity;
    }

    // --- binary form: format byte, capacity, seen, then the filled part of the ring oldest first ---

    public byte[] toBytes() {
        int filled = (int) Math.min(seen, capacity);
        ByteBuffer buf = ByteBuffer.allocate(1 + 4 + 8 + filled * (8 + 4 * 3 + 2));
        buf.put(FORMAT).putInt(capacity).putLong(seen);
        int start = (head - filled + capacity) % capacity;
        for (int k = 0; k < filled; k++) {
            int i = (start + k) % capacity;
            buf.putLong(ts[i]).putFloat(x[i]).putFloat(y[i]).putFloat(z[i]).putShort(label[i]);
        }
        return buf.array();
    }

    public static SeriesBuffer fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown series buffer format " + format);
        }
        SeriesBuffer b = new SeriesBuffer(buf.getInt());
        long seen = buf.getLong();
        int filled = (int) Math.min(seen, b.capacity);
        for (int k = 0; k < filled; k++) {
            b.append(buf.getLong(), buf.getFloat(), buf.getFloat(), buf.getFloat(), buf.getShort());
        }
        b.seen = seen;
        return b;
    }
}
