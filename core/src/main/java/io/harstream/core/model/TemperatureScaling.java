package io.harstream.core.model;

/**
 * Temperature scaling of class probabilities: {@code q = softmax(log p / T)}, i.e. {@code q_j ∝ p_j^(1/T)}.
 * Computed in {@code double} (the largest log subtracted first, so nothing overflows); a class the network gives
 * exactly 0 stays 0. {@code T = 1} returns the probabilities untouched, bit for bit.
 */
public final class TemperatureScaling {

    private TemperatureScaling() {
    }

    /** Why {@code temperature} cannot scale probabilities, in one line, or null when it can (finite and positive). */
    public static String problem(double temperature) {
        return Double.isFinite(temperature) && temperature > 0 ? null
                : "calibration.temperature must be a finite number above 0, got " + temperature;
    }

    /** {@code p} scaled by {@code temperature} (a new array; {@code p} itself when the temperature is 1). */
    public static float[] apply(float[] p, double temperature) {
        if (temperature == 1) {
            return p;
        }
        double[] q = scaled(p, temperature);
        float[] out = new float[q.length];
        for (int j = 0; j < q.length; j++) {
            out[j] = (float) q[j];
        }
        return out;
    }

    /** {@code p} scaled by {@code temperature}, in double precision; uniform when {@code p} holds nothing positive. */
    public static double[] scaled(float[] p, double temperature) {
        int k = p.length;
        double[] q = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            q[j] = p[j] > 0 ? Math.log(p[j]) / temperature : Double.NEGATIVE_INFINITY;
            max = Math.max(max, q[j]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            java.util.Arrays.fill(q, 1.0 / k);
            return q;
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            q[j] = Math.exp(q[j] - max);
            sum += q[j];
        }
        for (int j = 0; j < k; j++) {
            q[j] /= sum;
        }
        return q;
    }
}
