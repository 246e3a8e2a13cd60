package io.harstream.trainer.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Counts of (actual, predicted) class pairs; rows are actual classes, columns predicted, both in
 * {@link #classes()} order. Accuracy and per-class metrics are derived from the counts only.
 *
 * <p>Zero-denominator convention (the same as scikit-learn's {@code zero_division=0}): a precision,
 * recall, F1, accuracy or row share whose denominator is 0 is reported as 0, never NaN. So a class
 * that was never predicted has precision 0, a class with no actual windows has recall 0, and an
 * empty matrix has accuracy 0.
 *
 * <p>Not thread-safe: {@link #add} mutates; everything else only reads.
 */
public final class ConfusionMatrix {

    /**
     * One off-diagonal cell: {@code count} windows of class {@code actual} were predicted as
     * {@code predicted}; {@code shareOfActual} is that count over all actual {@code actual} windows
     * (0..1).
     */
    public record Confusion(String actual, String predicted, long count, double shareOfActual) {
    }

    private final List<String> classes;
    private final long[][] counts;

    /** An all-zero matrix over {@code classes} (distinct names, model output order). */
    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        if (new HashSet<>(this.classes).size() != this.classes.size()) {
            throw new IllegalArgumentException("duplicate class names: " + classes);
        }
        this.counts = new long[classes.size()][classes.size()];
    }

    /**
     * A matrix with the given counts, [actual][predicted] in {@code classes} order (copied).
     *
     * @throws IllegalArgumentException if {@code counts} is not n x n for n classes or has a negative cell
     */
    public static ConfusionMatrix of(List<String> classes, long[][] counts) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        int n = m.classes.size();
        if (counts.length != n) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows, expected " + n);
        }
        for (int i = 0; i < n; i++) {
            if (counts[i] == null || counts[i].length != n) {
                throw new IllegalArgumentException("counts row " + i + " must have " + n + " columns");
            }
            for (int j = 0; j < n; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("negative count at [" + i + "][" + j + "]");
                }
                m.counts[i][j] = counts[i][j];
            }
        }
        return m;
    }

    public void add(int actual, int predicted) {
        counts[actual][predicted]++;
    }

    public List<String> classes() {
        return classes;
    }

    /** A copy of the counts, [actual][predicted]. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** All counted windows. */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long c : row) {
                t += c;
            }
        }
        return t;
    }

    /** Windows on the diagonal (predicted = actual). */
    public long correct() {
        long c = 0;
        for (int i = 0; i < counts.length; i++) {
            c += counts[i][i];
        }
        return c;
    }

    /** {@link #correct()} / {@link #total()}; 0 when the matrix is empty. */
    public double accuracy() {
        return ratio(correct(), total());
    }

    /** Actual windows of class {@code i} (row sum). */
    public long support(int i) {
        long s = 0;
        for (long c : counts[i]) {
            s += c;
        }
        return s;
    }

    /** Windows predicted as class {@code j} (column sum). */
    public long predictedCount(int j) {
        long s = 0;
        for (long[] row : counts) {
            s += row[j];
        }
        return s;
    }

    /**
     * Precision, recall, F1 and support per class, in class order. Precision = tp/(tp+fp), recall =
     * tp/(tp+fn), F1 = their harmonic mean; each is 0 when its denominator is 0 (class never
     * predicted, class absent from the actual windows, or precision + recall = 0).
     */
    public List<ClassMetrics> perClass() {
        List<ClassMetrics> out = new ArrayList<>(classes.size());
        for (int i = 0; i < classes.size(); i++) {
            long tp = counts[i][i];
            long support = support(i);
            double precision = ratio(tp, predictedCount(i));
            double recall = ratio(tp, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassMetrics(classes.get(i), precision, recall, f1, support));
        }
        return out;
    }

    /**
     * Unweighted mean of F1 over the classes that have at least one actual window (support &gt; 0);
     * 0 when there is none. Classes absent from the evaluated set are left out rather than counted as
     * F1 = 0: their recall is undefined, and counting them would measure the split, not the model.
     * (Wrong predictions <em>into</em> such a class still lower the recall of the true classes.)
     */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (ClassMetrics m : perClass()) {
            if (m.support() > 0) {
                sum += m.f1();
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * Each row divided by its sum: [actual][predicted] shares of the actual class, as fractions in
     * 0..1 (multiply by 100 for percentages). A row with no windows is all 0.
     */
    public double[][] rowNormalized() {
        int n = classes.size();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            long s = support(i);
            for (int j = 0; j < n; j++) {
                out[i][j] = ratio(counts[i][j], s);
            }
        }
        return out;
    }

    /**
     * A new matrix with the cell-wise sums of this and {@code other} (e.g. cross-validation folds);
     * neither input changes.
     *
     * @throws IllegalArgumentException if the classes (names and order) differ
     */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (!classes.equals(other.classes)) {
            throw new IllegalArgumentException("cannot merge confusion matrices over different classes: "
                    + classes + " vs " + other.classes);
        }
        ConfusionMatrix sum = of(classes, counts);
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                sum.counts[i][j] += other.counts[i][j];
            }
        }
        return sum;
    }

    /**
     * The {@code n} largest non-zero off-diagonal cells, largest count first (ties: larger share of
     * the actual row, then class order). Fewer than {@code n} when there are fewer mistakes.
     */
    public List<Confusion> weakestPairs(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
        record Cell(int actual, int predicted, long count, double share) {
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            long s = support(i);
            for (int j = 0; j < counts.length; j++) {
                if (i != j && counts[i][j] > 0) {
                    cells.add(new Cell(i, j, counts[i][j], ratio(counts[i][j], s)));
                }
            }
        }
        cells.sort(Comparator.comparingLong(Cell::count).reversed()
                .thenComparing(Comparator.comparingDouble(Cell::share).reversed())
                .thenComparingInt(Cell::actual)
                .thenComparingInt(Cell::predicted));
        return cells.stream().limit(n)
                .map(c -> new Confusion(classes.get(c.actual()), classes.get(c.predicted()), c.count(), c.share()))
                .toList();
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    /** Equal when the classes (in order) and every count are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && classes.equals(m.classes) && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classes, Arrays.deepHashCode(counts));
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + classes + Arrays.deepToString(counts);
    }
}
