package io.harstream.core.window;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The running state of one series (one device online, one recording offline): the last
 * {@code length} samples in a ring, how many samples the series has had, and the previous sample for
 * gap and duplicate checks. {@link Segmenter} is the only code that changes it.
 *
 * <p>Two compact binary forms, so the stream-app can keep one per device in a fault-tolerant state store: the
 * whole series in one value ({@link #toBytes()}), and a <em>chunked</em> form, a {@link #headerBytes() header}
 * plus the samples in {@link #chunkBytes chunks} by their index in the series, so that a store changelog can
 * carry only the chunks new samples changed ({@link #fromChunks}). Each value starts with a format byte that
 * tells the three kinds apart.
 */
public final class SeriesBuffer {

    private static final byte FORMAT = 1;
    private static final byte HEADER_FORMAT = 2;
    private static final byte CHUNK_FORMAT = 3;
    private static final int SAMPLE_BYTES = 8 + 4 * 3 + 2;

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
    /** Times {@link #clear()} restarted this object; in memory only. */
    private long restarts;

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
        restarts++;
    }

    /**
     * How many times this object restarted its series (after a gap or a step back), counted in memory only: a
     * changed count tells a writer of the chunked form that the samples' indexes began again at 0.
     */
    public long restarts() {
        return restarts;
    }

    /** Index in the series (0 = its first sample) of the oldest sample held. */
    public long oldestIndex() {
        return seen - Math.min(seen, capacity);
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

    /** Whether {@code bytes} hold a whole series ({@link #toBytes()}), as opposed to a header or a chunk. */
    public static boolean isWhole(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == FORMAT;
    }

    /** What the chunked form's header holds. */
    public record Header(int capacity, long seen) {
    }

    /** The chunked form's header: format, capacity, samples seen. */
    public byte[] headerBytes() {
        return ByteBuffer.allocate(1 + 4 + 8).put(HEADER_FORMAT).putInt(capacity).putLong(seen).array();
    }

    /** Reads a {@link #headerBytes()} value. */
    public static Header header(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != HEADER_FORMAT) {
            throw new IllegalArgumentException("not a series header: format " + format);
        }
        return new Header(buf.getInt(), buf.getLong());
    }

    /**
     * The samples of indexes {@code [from, to)} as one chunk: format, the first index, the count, then the
     * samples oldest first.
     *
     * @throws IllegalArgumentException when the buffer does not hold all of them
     */
    public byte[] chunkBytes(long from, long to) {
        if (from < oldestIndex() || to > seen || from > to) {
            throw new IllegalArgumentException("samples " + from + "-" + to + " are not all held (" + oldestIndex()
                    + "-" + seen + ")");
        }
        int count = (int) (to - from);
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 + 4 + count * SAMPLE_BYTES);
        buf.put(CHUNK_FORMAT).putLong(from).putInt(count);
        for (long k = from; k < to; k++) {
            int i = (int) ((head - (seen - k) % capacity + capacity) % capacity);
            buf.putLong(ts[i]).putFloat(x[i]).putFloat(y[i]).putFloat(z[i]).putShort(label[i]);
        }
        return buf.array();
    }

    /**
     * The series a header and its chunks describe. The chunks come in index order and together hold at least
     * every sample from the oldest the series keeps to the newest; samples older than that are skipped.
     *
     * @throws IllegalArgumentException when a chunk is malformed or a sample is missing
     */
    public static SeriesBuffer fromChunks(Header header, List<byte[]> chunks) {
        SeriesBuffer b = new SeriesBuffer(header.capacity());
        long next = header.seen() - Math.min(header.seen(), header.capacity());
        for (byte[] chunk : chunks) {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            byte format = buf.get();
            if (format != CHUNK_FORMAT) {
                throw new IllegalArgumentException("not a series chunk: format " + format);
            }
            long first = buf.getLong();
            int count = buf.getInt();
            for (long k = first; k < first + count; k++) {
                long t = buf.getLong();
                float vx = buf.getFloat();
                float vy = buf.getFloat();
                float vz = buf.getFloat();
                short lbl = buf.getShort();
                if (k < next) {
                    continue;
                }
                if (k > next || k >= header.seen()) {
                    throw new IllegalArgumentException("series chunk starting at sample " + first + " does not follow "
                            + "sample " + (next - 1));
                }
                b.append(t, vx, vy, vz, lbl);
                next++;
            }
        }
        if (next != header.seen()) {
            throw new IllegalArgumentException("series chunks end at sample " + next + ", the header says "
                    + header.seen());
        }
        b.seen = header.seen();
        return b;
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
