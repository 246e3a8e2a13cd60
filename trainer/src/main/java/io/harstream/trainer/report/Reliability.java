package io.harstream.trainer.report;

/**
 * How well a classifier's top probability says how often it is right: its windows put into {@link #BINS}
 * equal-width bins of the top probability, each bin's mean top probability (confidence) beside its accuracy.
 * A calibrated classifier's bins lie on the diagonal.
 *
 * <p>Expected calibration error: {@code ECE = Σ_b (n_b / N) · |accuracy_b − confidence_b|}. The mean top
 * probability over all windows ({@link #expectedAccuracy()}) is the accuracy the classifier expects of itself: what
 * a stream without labels can report.
 *
 * @param counts     windows per bin (bin {@code b} holds top probabilities in {@code [b/15, (b+1)/15)}, the last
 *                   one including 1)
 * @param binConfidence mean top probability per bin (0 for an empty bin)
 * @param binAccuracy   share of the bin's windows whose top class is the true one (0 for an empty bin)
 */
public record Reliability(long[] counts, double[] binConfidence, double[] binAccuracy) {

    /** Equal-width bins of the top probability. */
    public static final int BINS = 15;

    /**
     * @param probabilities one row per window
     * @param labels        the true class of each window
     */
    public static Reliability of(float[][] probabilities, int[] labels) {
        long[] n = new long[BINS];
        double[] conf = new double[BINS];
        double[] right = new double[BINS];
        for (int i = 0; i < probabilities.length; i++) {
            float[] p = probabilities[i];
            int top = 0;
            for (int j = 1; j < p.length; j++) {
                if (p[j] > p[top]) {
                    top = j;
                }
            }
            int b = Math.min(BINS - 1, Math.max(0, (int) (p[top] * BINS)));
            n[b]++;
            conf[b] += p[top];
            right[b] += top == labels[i] ? 1 : 0;
        }
        for (int b = 0; b < BINS; b++) {
            if (n[b] > 0) {
                conf[b] /= n[b];
                right[b] /= n[b];
            }
        }
        return new Reliability(n, conf, right);
    }

    /** Windows counted. */
    public long windows() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Expected calibration error (see the class comment); 0 without windows. */
    public double ece() {
        long total = windows();
        double e = 0;
        for (int b = 0; b < BINS; b++) {
            e += total == 0 ? 0 : (double) counts[b] / total * Math.abs(binAccuracy[b] - binConfidence[b]);
        }
        return e;
    }

    /** The mean top probability: the accuracy the classifier expects of itself. */
    public double expectedAccuracy() {
        return weighted(binConfidence);
    }

    /** The share of windows whose top class is the true one. */
    public double accuracy() {
        return weighted(binAccuracy);
    }

    private double weighted(double[] perBin) {
        long total = windows();
        double s = 0;
        for (int b = 0; b < BINS; b++) {
            s += perBin[b] * counts[b];
        }
        return total == 0 ? 0 : s / total;
    }
}
