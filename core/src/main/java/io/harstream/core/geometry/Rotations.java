package io.harstream.core.geometry;

/**
 * 3x3 rotation matrices, row-major {@code double[9]}, in the phone's axes (x across the screen, y along the
 * long side, z out of the screen). The synthetic generator turns its phones with them and the trainer's
 * augmentation turns training windows.
 */
public final class Rotations {

    private Rotations() {
    }

    public static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    /** {@code a * b}: rotate by {@code b}, then by {@code a}. */
    public static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
        return c;
    }

    /** About the long (y) axis. */
    public static double[] aboutY(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {c, 0, s, 0, 1, 0, -s, 0, c};
    }

    /** About the screen normal (z). */
    public static double[] aboutZ(double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {c, -s, 0, s, c, 0, 0, 0, 1};
    }

    /** Rodrigues: rotation by {@code angle} about the unit axis (x, y, z). */
    public static double[] axisAngle(double x, double y, double z, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[] {
            t * x * x + c, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c
        };
    }
}
