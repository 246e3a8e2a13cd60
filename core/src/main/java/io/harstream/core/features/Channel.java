package io.harstream.core.features;

import java.util.Locale;

/**
 * An input channel of the network, computed from the raw axes of one sample. The bundle records
 * the channel list, so every consumer computes the same inputs from this one enum.
 */
public enum Channel {
    X {
        @Override
        public float of(float x, float y, float z) {
            return x;
        }
    },
    Y {
        @Override
        public float of(float x, float y, float z) {
            return y;
        }
    },
    Z {
        @Override
        public float of(float x, float y, float z) {
            return z;
        }
    },
    /** |a|: independent of how the phone is turned in the pocket. */
    MAGNITUDE {
        @Override
        public float of(float x, float y, float z) {
            return (float) Math.sqrt((double) x * x + (double) y * y + (double) z * z);
        }
    };

    public abstract float of(float x, float y, float z);

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
        throw new IllegalArgumentException("unknown channel '" + id + "' (known: x, y, z, magnitude)");
    }
}
