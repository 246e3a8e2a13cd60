package io.harstream.streamapp.topology;

import io.harstream.core.window.Window;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A window the segmenter has completed, waiting in the {@code pending-windows} store for the next
 * inference batch.
 *
 * @param device          the device it belongs to
 * @param window          the raw samples and their majority label
 * @param recordTimestamp Kafka timestamp of the event that completed the window: the start of the
 *                        event-to-prediction latency, and the timestamp of the prediction record
 */
public record ReadyWindow(String device, Window window, long recordTimestamp) {

    private static final byte FORMAT = 1;

    /** Store key: device, then window start, so a device's windows are adjacent and in time order. */
    public byte[] storeKey() {
        return storeKey(device, window.startTs());
    }

    static byte[] storeKey(String device, long windowStart) {
        byte[] d = device.getBytes(StandardCharsets.UTF_8);
        // Length prefix: no device id can then be a prefix of another's key and swallow its windows.
        return ByteBuffer.allocate(2 + d.length + 8).putShort((short) d.length).put(d).putLong(windowStart).array();
    }

    /** Binary form for the changelogged store: format, timestamps, label, device, then the three axes. */
    public byte[] toBytes() {
        byte[] d = device.getBytes(StandardCharsets.UTF_8);
        int n = window.length();
        ByteBuffer buf = ByteBuffer.allocate(1 + 8 * 3 + 4 + 2 + d.length + 4 + 3 * 4 * n);
        buf.put(FORMAT).putLong(recordTimestamp).putLong(window.startTs()).putLong(window.endTs())
                .putInt(window.label()).putShort((short) d.length).put(d).putInt(n);
        for (float[] axis : new float[][] {window.x(), window.y(), window.z()}) {
            for (float v : axis) {
                buf.putFloat(v);
            }
        }
        return buf.array();
    }

    public static ReadyWindow fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown pending window format " + format);
        }
        long recordTimestamp = buf.getLong();
        long start = buf.getLong();
        long end = buf.getLong();
        int label = buf.getInt();
        byte[] d = new byte[buf.getShort()];
        buf.get(d);
        int n = buf.getInt();
        float[][] axes = new float[3][n];
        for (float[] axis : axes) {
            for (int i = 0; i < n; i++) {
                axis[i] = buf.getFloat();
            }
        }
        return new ReadyWindow(new String(d, StandardCharsets.UTF_8),
                new Window(start, end, axes[0], axes[1], axes[2], label), recordTimestamp);
    }
}
