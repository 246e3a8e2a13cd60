package io.harstream.core.features;

import io.harstream.core.window.Window;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An input channel of the network, computed from the raw axes of one window. The bundle records
 * the channel list, so every consumer computes the same inputs from this one enum.
 *
 * <p>x, y, z and magnitude are functions of one sample. vertical and horizontal also need the window:
 * they split each sample along and across the window's mean acceleration, which over 10 s is the
 * direction of gravity. Both are therefore the same whichever way the phone is turned in the pocket:
 * the motion up and down (a step up a stair, the bounce of a stride) and the motion in the horizontal
 * plane (swaying, swinging forward), without the phone's axes mixing them. jerk needs the previous
 * sample of the same window.
 */
public enum Channel {
    X {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            System.arraycopy(w.x(), 0, dest, offset, w.length());
        }
    },
    Y {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            System.arraycopy(w.y(), 0, dest, offset, w.length());
        }
    },
    Z {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            System.arraycopy(w.z(), 0, dest, offset, w.length());
        }
    },
    /** |a|: independent of how the phone is turned in the pocket. */
    MAGNITUDE {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            float[] x = w.x();
            float[] y = w.y();
            float[] z = w.z();
            for (int t = 0; t < x.length; t++) {
                dest[offset + t] = magnitude(x[t], y[t], z[t]);
            }
        }
    },
    /** a . g: the component along the window's mean acceleration (gravity plus the vertical motion). */
    VERTICAL {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            splitByGravity(w, dest, offset, false);
        }
    },
    /** |a - (a . g) g|: the size of the acceleration across the window's mean direction. */
    HORIZONTAL {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            splitByGravity(w, dest, offset, true);
        }
    },
    /**
     * |a_t - a_(t-1)|: how far the acceleration vector moved since the previous sample (the jerk's
     * size, per sample rather than per second); the first sample takes the second's value. Like
     * magnitude it is the same however the phone is turned, but it keeps the small fast motions
     * (the sway of someone standing, the jolt of a foot on a stair) that gravity's 9.8 m/s^2 dwarfs in
     * x, y, z and magnitude: normalized on its own, this channel gets a scale of its own.
     */
    JERK {
        @Override
        public void fill(Window w, float[] dest, int offset) {
            float[] x = w.x();
            float[] y = w.y();
            float[] z = w.z();
            for (int t = 1; t < x.length; t++) {
                dest[offset + t] = magnitude(x[t] - x[t - 1], y[t] - y[t - 1], z[t] - z[t - 1]);
            }
            if (x.length > 0) {
                dest[offset] = x.length > 1 ? dest[offset + 1] : 0f;
            }
        }
    };

    /**
     * Writes this channel's raw (not yet normalized) values for every sample of {@code w} into
     * {@code dest[offset .. offset + w.length())}.
     */
    public abstract void fill(Window w, float[] dest, int offset);

    /** a . g (along) or |a - (a . g) g| (across) of every sample, g the unit mean of the window. */
    private static void splitByGravity(Window w, float[] dest, int offset, boolean across) {
        double[] g = gravityDirection(w);
        float[] x = w.x();
        float[] y = w.y();
        float[] z = w.z();
        for (int t = 0; t < x.length; t++) {
            double along = x[t] * g[0] + y[t] * g[1] + z[t] * g[2];
            if (across) {
                double hx = x[t] - along * g[0];
                double hy = y[t] - along * g[1];
                double hz = z[t] - along * g[2];
                dest[offset + t] = (float) Math.sqrt(hx * hx + hy * hy + hz * hz);
            } else {
                dest[offset + t] = (float) along;
            }
        }
    }

    /** |a| of one sample, the definition shared with the baseline's features. */
    public static float magnitude(float x, float y, float z) {
        return (float) Math.sqrt((double) x * x + (double) y * y + (double) z * z);
    }

    /**
     * The unit vector of the window's mean acceleration. A window whose mean is zero (free fall, or a
     * synthetic all-zero window) has no gravity direction: the y axis, the phone's upright, stands in.
     */
    static double[] gravityDirection(Window w) {
        double sx = 0;
        double sy = 0;
        double sz = 0;
        for (int t = 0; t < w.length(); t++) {
            sx += w.x()[t];
            sy += w.y()[t];
            sz += w.z()[t];
        }
        double norm = Math.sqrt(sx * sx + sy * sy + sz * sz);
        if (!(norm > 1e-9) || Double.isInfinite(norm)) {
            return new double[] {0, 1, 0};
        }
        return new double[] {sx / norm, sy / norm, sz / norm};
    }

    /** The name used in the bundle and on the command line, e.g. {@code magnitude}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Channel fromId(String id) {
        for (Channel c : values()) {
            if (c.id().equalsIgnoreCase(id.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + id + "' (known: "
                + Arrays.stream(values()).map(Channel::id).collect(Collectors.joining(", ")) + ")");
    }
}
