package io.harstream.core.smoothing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of the smoother, as the bundle's {@code smoothing} section records them.
 *
 * @param hopMs       time between the starts of consecutive windows of one series (the bundle's hop), in ms:
 *                    {@code transitions} describe one such step
 * @param maxGapMs    a window starting more than this after the previous one of its device restarts the filter
 *                    (nothing is assumed about what happened in between); at least {@code hopMs}
 * @param prior       how often each class occurs, in the bundle's class order; sums to 1. A discriminative
 *                    network's outputs are divided by it to act as likelihoods
 * @param transitions {@code transitions[i][j]} = probability that a window of class {@code i} is followed, one
 *                    hop later, by a window of class {@code j}; each row sums to 1
 * @param evidenceExponent {@code β}: how much the filter trusts one window against the transitions; the emission is
 *                    {@code (p / π)^β} (see {@link ActivitySmoother}). Finite and positive; 1 is the evidence as it
 *                    is (and what bundles written before it existed mean), below 1 tempers it
 */
public record SmoothingModel(long hopMs, long maxGapMs, double[] prior, double[][] transitions,
                             double evidenceExponent) {

    /** Parameters that use each window's evidence as it is ({@code evidenceExponent} 1). */
    public SmoothingModel(long hopMs, long maxGapMs, double[] prior, double[][] transitions) {
        this(hopMs, maxGapMs, prior, transitions, 1.0);
    }

    /** The same parameters with another {@link #evidenceExponent}. */
    public SmoothingModel withEvidenceExponent(double exponent) {
        return new SmoothingModel(hopMs, maxGapMs, prior, transitions, exponent);
    }

    /** How far a row or the prior may sum from 1 (JSON round trips and floors leave far less). */
    public static final double SUM_TOLERANCE = 1e-6;

    /**
     * What is wrong with these parameters for a model of the given classes, in one line, or null when nothing is:
     * sizes, negative or non-finite values, rows or a prior not summing to 1 within {@link #SUM_TOLERANCE}.
     */
    public String problem(List<String> classes) {
        int k = classes.size();
        if (hopMs < 1) {
            return "smoothing.hopMs must be positive, got " + hopMs;
        }
        if (!Double.isFinite(evidenceExponent) || evidenceExponent <= 0) {
            return "smoothing.evidenceExponent must be a finite number above 0, got " + evidenceExponent;
        }
        if (maxGapMs < hopMs) {
            return "smoothing.maxGapMs (" + maxGapMs + ") must be at least smoothing.hopMs (" + hopMs + ")";
        }
        if (prior == null || prior.length != k) {
            return "smoothing.prior must have one value per class (" + k + "), got "
                    + (prior == null ? "none" : prior.length);
        }
        String bad = distributionProblem(prior);
        if (bad != null) {
            return "smoothing.prior " + bad;
        }
        if (transitions == null || transitions.length != k) {
            return "smoothing.transitions must have one row per class (" + k + "), got "
                    + (transitions == null ? "none" : transitions.length);
        }
        for (int i = 0; i < k; i++) {
            if (transitions[i] == null || transitions[i].length != k) {
                return "smoothing.transitions row " + i + " (" + classes.get(i) + ") must have " + k + " values";
            }
            bad = distributionProblem(transitions[i]);
            if (bad != null) {
                return "smoothing.transitions row " + i + " (" + classes.get(i) + ") " + bad;
            }
        }
        return null;
    }

    private static String distributionProblem(double[] p) {
        double sum = 0;
        for (double v : p) {
            if (!Double.isFinite(v) || v < 0) {
                return "holds " + v + ": every value must be a finite probability >= 0 " + Arrays.toString(p);
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            return String.format(Locale.ROOT, "sums to %.9f, not 1 (tolerance %.0e)", sum, SUM_TOLERANCE);
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothingModel m && hopMs == m.hopMs && maxGapMs == m.maxGapMs
                && Arrays.equals(prior, m.prior) && Arrays.deepEquals(transitions, m.transitions)
                && Double.compare(evidenceExponent, m.evidenceExponent) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hopMs) * 31 + Long.hashCode(maxGapMs) * 17 + Arrays.hashCode(prior) * 7
                + Arrays.deepHashCode(transitions) + Double.hashCode(evidenceExponent) * 3;
    }

    @Override
    public String toString() {
        return "SmoothingModel[hopMs=" + hopMs + ", maxGapMs=" + maxGapMs + ", prior=" + Arrays.toString(prior)
                + ", transitions=" + Arrays.deepToString(transitions) + ", evidenceExponent=" + evidenceExponent + "]";
    }
}
