package io.harstream.trainer.report;

import java.util.List;

/**
 * Counts of (actual, predicted) class pairs; rows are actual classes, columns predicted, both in
 * {@link #classes()} order. Accuracy and per-class metrics are derived from the counts only.
 */
public final class ConfusionMatrix {

    private final List<String> classes;
    private final long[][] counts;

    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
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

    // TODO(report helper): total(), correct(), accuracy(), perClass() -> List<ClassMetrics>, macroF1()
}
