package io.harstream.trainer.recipe;

import io.harstream.core.geometry.Rotations;
import io.harstream.core.window.Window;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random changes to a training window's raw axes that keep its activity: the model should not care how
 * the phone sits in the pocket or how hard a person steps. Applied to training windows only, before the
 * shared {@link io.harstream.core.features.Preprocessor}, so derived channels (magnitude) follow.
 *
 * <p>Axes are the phone's: y along its long side, z out of the screen (WISDM's convention).
 *
 * @param rotateAnyDegrees      rotation about a uniformly random axis by up to this angle (0 = off)
 * @param rotateLongAxisDegrees rotation about the long (y) axis by up to this angle: the phone turning in
 *                              a trouser pocket (0 = off, 180 = any)
 * @param rotateScreenDegrees   rotation about the screen normal (z) by up to this angle: the phone upright
 *                              or sideways in the pocket (0 = off)
 * @param flip                  turn the phone upside down ({@code x, y -> -x, -y}) with probability 1/2
 * @param scale                 multiply all axes by a factor drawn from {@code [1 - scale, 1 + scale]}
 * @param jitter                add Gaussian noise of this standard deviation (m/s^2) to every sample
 * @param stretch               play the window faster or slower by a factor drawn from
 *                              {@code [1 - stretch, 1 + stretch]} about its middle (linear interpolation,
 *                              the edge samples held where the faster playback runs out): people walk
 *                              and climb at their own cadence
 */
public record Augmentation(double rotateAnyDegrees, double rotateLongAxisDegrees, double rotateScreenDegrees,
                           boolean flip, double scale, double jitter, double stretch) {

    public static final Augmentation NONE = new Augmentation(0, 0, 0, false, 0, 0, 0);

    /** Without time stretching. */
    public Augmentation(double rotateAnyDegrees, double rotateLongAxisDegrees, double rotateScreenDegrees,
                        boolean flip, double scale, double jitter) {
        this(rotateAnyDegrees, rotateLongAxisDegrees, rotateScreenDegrees, flip, scale, jitter, 0);
    }

    public Augmentation {
        for (double d : new double[] {rotateAnyDegrees, rotateLongAxisDegrees, rotateScreenDegrees}) {
            if (!(d >= 0 && d <= 180)) {
                throw new IllegalArgumentException("rotation angles must be in [0, 180] degrees, got " + d);
            }
        }
        if (!(scale >= 0 && scale < 1)) {
            throw new IllegalArgumentException("scale must be in [0, 1), got " + scale);
        }
        if (!(jitter >= 0) || Double.isInfinite(jitter)) {
            throw new IllegalArgumentException("jitter must be >= 0, got " + jitter);
        }
        if (!(stretch >= 0 && stretch < 1)) {
            throw new IllegalArgumentException("stretch must be in [0, 1), got " + stretch);
        }
    }

    public boolean enabled() {
        return !equals(NONE);
    }

    /**
     * Parses the command-line form, a comma-separated list of {@code rotate=DEG}, {@code rotate-long=DEG},
     * {@code rotate-screen=DEG}, {@code flip}, {@code scale=F}, {@code jitter=F}, {@code stretch=F}, or
     * {@code none}.
     */
    public static Augmentation parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("none")) {
            return NONE;
        }
        double any = 0;
        double longAxis = 0;
        double screen = 0;
        boolean flip = false;
        double scale = 0;
        double jitter = 0;
        double stretch = 0;
        for (String part : s.split(",")) {
            String[] kv = part.trim().split("=", 2);
            String key = kv[0].trim();
            if (key.equals("flip")) {
                if (kv.length > 1) {
                    throw new IllegalArgumentException("augmentation 'flip' takes no value: '" + part + "'");
                }
                flip = true;
                continue;
            }
            if (kv.length < 2) {
                throw new IllegalArgumentException("augmentation '" + key + "' needs a value, e.g. " + key + "=0.1");
            }
            double v;
            try {
                v = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("augmentation '" + key + "': '" + kv[1] + "' is not a number");
            }
            switch (key) {
                case "rotate" -> any = v;
                case "rotate-long" -> longAxis = v;
                case "rotate-screen" -> screen = v;
                case "scale" -> scale = v;
                case "jitter" -> jitter = v;
                case "stretch" -> stretch = v;
                default -> throw new IllegalArgumentException("unknown augmentation '" + key
                        + "' (known: rotate=DEG, rotate-long=DEG, rotate-screen=DEG, flip, scale=F, jitter=F, "
                        + "stretch=F, none)");
            }
        }
        return new Augmentation(any, longAxis, screen, flip, scale, jitter, stretch);
    }

    /** The command-line form; {@code parse(spec())} gives this augmentation back. */
    public String spec() {
        if (!enabled()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (rotateAnyDegrees > 0) {
            parts.add("rotate=" + fmt(rotateAnyDegrees));
        }
        if (rotateLongAxisDegrees > 0) {
            parts.add("rotate-long=" + fmt(rotateLongAxisDegrees));
        }
        if (rotateScreenDegrees > 0) {
            parts.add("rotate-screen=" + fmt(rotateScreenDegrees));
        }
        if (flip) {
            parts.add("flip");
        }
        if (scale > 0) {
            parts.add("scale=" + fmt(scale));
        }
        if (jitter > 0) {
            parts.add("jitter=" + fmt(jitter));
        }
        if (stretch > 0) {
            parts.add("stretch=" + fmt(stretch));
        }
        return String.join(",", parts);
    }

    /** A new window with the same timestamps and label and randomly changed axes; {@code w} is not modified. */
    public Window apply(Window w, Random random) {
        double[] m = Rotations.identity();
        if (flip && random.nextBoolean()) {
            m = Rotations.multiply(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, m);
        }
        if (rotateLongAxisDegrees > 0) {
            m = Rotations.multiply(Rotations.aboutY(angle(rotateLongAxisDegrees, random)), m);
        }
        if (rotateScreenDegrees > 0) {
            m = Rotations.multiply(Rotations.aboutZ(angle(rotateScreenDegrees, random)), m);
        }
        if (rotateAnyDegrees > 0) {
            // A uniformly distributed axis: a normalized Gaussian vector.
            double ax = random.nextGaussian();
            double ay = random.nextGaussian();
            double az = random.nextGaussian();
            double norm = Math.sqrt(ax * ax + ay * ay + az * az);
            if (norm > 1e-12) {
                double theta = angle(rotateAnyDegrees, random);
                m = Rotations.multiply(Rotations.axisAngle(ax / norm, ay / norm, az / norm, theta), m);
            }
        }
        double factor = scale > 0 ? 1 + scale * (2 * random.nextDouble() - 1) : 1;
        double speed = stretch > 0 ? 1 + stretch * (2 * random.nextDouble() - 1) : 1;
        int n = w.length();
        float[] sx = stretched(w.x(), speed);
        float[] sy = stretched(w.y(), speed);
        float[] sz = stretched(w.z(), speed);
        float[] x = new float[n];
        float[] y = new float[n];
        float[] z = new float[n];
        for (int t = 0; t < n; t++) {
            double a = sx[t];
            double b = sy[t];
            double c = sz[t];
            x[t] = (float) (factor * (m[0] * a + m[1] * b + m[2] * c) + noise(random));
            y[t] = (float) (factor * (m[3] * a + m[4] * b + m[5] * c) + noise(random));
            z[t] = (float) (factor * (m[6] * a + m[7] * b + m[8] * c) + noise(random));
        }
        return new Window(w.startTs(), w.endTs(), x, y, z, w.label());
    }

    /**
     * The series played {@code speed} times as fast about its middle: sample t reads the original at
     * {@code mid + (t - mid) * speed}, linearly interpolated, clamped to the first and last sample.
     */
    static float[] stretched(float[] v, double speed) {
        if (speed == 1 || v.length < 2) {
            return v;
        }
        int n = v.length;
        double mid = (n - 1) / 2.0;
        float[] out = new float[n];
        for (int t = 0; t < n; t++) {
            double at = Math.max(0, Math.min(n - 1, mid + (t - mid) * speed));
            int i = Math.min((int) at, n - 2);
            double frac = at - i;
            out[t] = (float) (v[i] + (v[i + 1] - v[i]) * frac);
        }
        return out;
    }

    private double noise(Random random) {
        return jitter > 0 ? jitter * random.nextGaussian() : 0;
    }

    private static double angle(double maxDegrees, Random random) {
        return Math.toRadians(maxDegrees * (2 * random.nextDouble() - 1));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
