package io.harstream.core.window;

import java.nio.ByteBuffer;

/**
 * One device's walking frame: the phone's axes turned so that the direction gravity had while the
 * device was moving points along +y.
 *
 * <p>Why: how a phone lies in a pocket decides what its axes read when the wearer stands still or sits.
 * Most people carry it upright (gravity along y when standing, across it when sitting), some on its side
 * (gravity along x when standing) or upside down, so "gravity along x" means sitting for one person and
 * standing for another, and no network that sees one window can tell which. The walking frame asks the
 * device itself: while its wearer walks, the thigh is upright, so the mean acceleration of the device's
 * moving windows is the pocket's upright. Turned into that frame, standing reads gravity along +y for
 * every wearer, and sitting reads it across y. Whether a window is moving is read from the samples alone
 * (the spread of |a|), never from a label, so the stream-app computes exactly what the trainer computed.
 *
 * <p>State: the running mean of the moving windows' mean acceleration, over all of them until
 * {@link #HORIZON}, then fading older ones out (a phone put back another way is followed within a few
 * minutes of walking). Until the device has moved once the frame is the phone's own axes.
 *
 * <p>Call {@link #turn} on every window of a device, in the order the segmenter completes them; the trainer
 * runs one per person over the person's recordings in order, the stream-app keeps one per device in a
 * state store ({@link #toBytes()}).
 */
public final class WalkingFrame {

    /**
     * A window whose |a| has a standard deviation above this (m/s^2) is moving. Walking, jogging and
     * stairs measure 2.5-8 in the WISDM 2019 phone data, sitting and standing below 0.3.
     */
    public static final double MOVING_SD = 2.0;
    /** Moving windows the reference averages over before older ones start to fade. */
    public static final int HORIZON = 120;

    private static final byte FORMAT = 1;

    private long moving;
    private double gx;
    private double gy;
    private double gz;

    /** Moving windows seen so far. */
    public long movingWindows() {
        return moving;
    }

    /**
     * Takes {@code w} into account (when it moves) and returns it turned into the walking frame as it
     * stands after that; the window itself when the device has not moved yet. Labels and timestamps are
     * kept.
     */
    public Window turn(Window w) {
        observe(w);
        if (moving == 0) {
            return w;
        }
        double[] r = toUpright(gx, gy, gz);
        if (r == null) {
            return w;
        }
        int n = w.length();
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int t = 0; t < n; t++) {
            double ax = w.x()[t];
            double ay = w.y()[t];
            double az = w.z()[t];
            x[t] = (float) (r[0] * ax + r[1] * ay + r[2] * az);
            y[t] = (float) (r[3] * ax + r[4] * ay + r[5] * az);
            z[t] = (float) (r[6] * ax + r[7] * ay + r[8] * az);
        }
        return new Window(w.startTs(), w.endTs(), x, y, z, w.label());
    }

    private void observe(Window w) {
        int n = w.length();
        if (n < 2) {
            return;
        }
        double sx = 0;
        double sy = 0;
        double sz = 0;
        double sm = 0;
        double smm = 0;
        for (int t = 0; t < n; t++) {
            double ax = w.x()[t];
            double ay = w.y()[t];
            double az = w.z()[t];
            sx += ax;
            sy += ay;
            sz += az;
            double m = Math.sqrt(ax * ax + ay * ay + az * az);
            sm += m;
            smm += m * m;
        }
        double meanM = sm / n;
        double variance = smm / n - meanM * meanM;
        if (!(variance > MOVING_SD * MOVING_SD)) {
            return;
        }
        moving++;
        double weight = 1.0 / Math.min(moving, HORIZON);
        gx += (sx / n - gx) * weight;
        gy += (sy / n - gy) * weight;
        gz += (sz / n - gz) * weight;
    }

    /**
     * The rotation (row-major 3x3) that turns the direction (x, y, z) onto +y along the shortest arc
     * (Rodrigues), or null when the direction is zero. Exactly opposite to +y it turns half way round
     * the screen normal, as turning the phone right side up in the hand would.
     */
    static double[] toUpright(double x, double y, double z) {
        double norm = Math.sqrt(x * x + y * y + z * z);
        if (!(norm > 1e-9) || Double.isInfinite(norm)) {
            return null;
        }
        double rx = x / norm;
        double ry = y / norm;
        double rz = z / norm;
        double c = ry; // r . y
        if (c < -1 + 1e-9) {
            return new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1};
        }
        // v = r x y = (-rz, 0, rx); R = I + [v]x + [v]x^2 / (1 + c)
        double vx = -rz;
        double vz = rx;
        double k = 1 / (1 + c);
        return new double[] {
            1 - vz * vz * k, -vz, vx * vz * k,
            vz, 1 - (vx * vx + vz * vz) * k, -vx,
            vx * vz * k, vx, 1 - vx * vx * k
        };
    }

    // --- binary form: format byte, moving windows, then the running mean ---

    public byte[] toBytes() {
        return ByteBuffer.allocate(1 + 8 + 3 * 8).put(FORMAT).putLong(moving).putDouble(gx).putDouble(gy)
                .putDouble(gz).array();
    }

    public static WalkingFrame fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        byte format = buf.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown walking frame format " + format);
        }
        WalkingFrame f = new WalkingFrame();
        f.moving = buf.getLong();
        f.gx = buf.getDouble();
        f.gy = buf.getDouble();
        f.gz = buf.getDouble();
        return f;
    }
}
