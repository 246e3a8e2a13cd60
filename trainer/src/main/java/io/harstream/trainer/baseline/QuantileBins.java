package io.harstream.trainer.baseline;

import java.util.Arrays;

/**
 * Per-feature quantile binning, fitted on the training features: each value becomes the index of
 * its bin. A tree split on bin indices is a split at a bin edge, so trees lose only thresholds
 * finer than a bin; in exchange each feature has at most {@code bins} distinct values, which is
 * what makes Tribuo's CART (whose cost grows with the distinct values per feature and node) fast.
 * The same idea as the histograms of LightGBM and scikit-learn's HistGradientBoosting.
 */
final class QuantileBins {

    /** Per feature, ascending distinct upper edges; a value v goes to the first edge >= v. */
    private final double[][] edges;

    private QuantileBins(double[][] edges) {
        this.edges = edges;
    }

    /** Fits at most {@code bins} bins per feature on {@code rows} (rows x features, all finite). */
    static QuantileBins fit(double[][] rows, int bins) {
        int features = rows[0].length;
        double[][] edges = new double[features][];
        double[] column = new double[rows.length];
        for (int f = 0; f < features; f++) {
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][f];
            }
            Arrays.sort(column);
            double[] e = new double[bins];
            int count = 0;
            for (int b = 1; b <= bins; b++) {
                // upper edge of bin b - 1: the value at quantile b / bins (the maximum for the last bin)
                double edge = column[(int) Math.min(column.length - 1, Math.ceil((double) b * column.length / bins) - 1)];
                if (count == 0 || edge > e[count - 1]) {
                    e[count++] = edge;
                }
            }
            edges[f] = Arrays.copyOf(e, count);
        }
        return new QuantileBins(edges);
    }

    /** Bin indices of one row (a new array); values above the last training edge go to the last bin. */
    double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int f = 0; f < row.length; f++) {
            double[] e = edges[f];
            int i = Arrays.binarySearch(e, row[f]);
            int bin = i >= 0 ? i : -i - 1;
            out[f] = Math.min(bin, e.length - 1);
        }
        return out;
    }
}
