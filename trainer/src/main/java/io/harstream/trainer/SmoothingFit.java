package io.harstream.trainer;

import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.WindowSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns the smoother's parameters from the training people's windows: the class prior is each class's share of the
 * training windows; the transition counts come from consecutive windows of one person exactly one hop apart (as
 * the segmenter cuts a series), so {@code T} describes one hop.
 *
 * <p>Floor: {@code T(i,j) = FLOOR + (1 - K · FLOOR) · n(i→j) / n(i)} (identity counts when class {@code i} has no
 * consecutive pair): no transition is impossible, whatever the training data never showed, and rows still sum to 1.
 * With WISDM's one-activity-per-recording data almost no changes are observed, so the floor alone sets how fast
 * the smoother follows a change.
 *
 * <p>Restart limit ({@link SmoothingModel#maxGapMs()}): halfway between a hop and a window plus the series gap.
 * Consecutive windows of one series start a hop apart; the first window after the series breaks (a gap over the
 * window's maximum gap) starts at least a window plus that gap after the previous one. So the smoother starts over
 * exactly where the series does, however long the break was: the simulator, which shortens breaks to a short
 * pause, and the trainer's evaluation over the recorded timestamps then restart at the same windows.
 */
final class SmoothingFit {

    /** Least probability of any transition from one window to the next. */
    static final double FLOOR = 1e-3;

    private SmoothingFit() {
    }

    /** The restart limit for windows cut by {@code spec} at {@code sampleRateHz} (see the class comment). */
    static long maxGapMs(WindowSpec spec, double sampleRateHz) {
        long hopMs = Math.max(1, Math.round(spec.hop() * 1000 / sampleRateHz));
        long windowMs = Math.round(spec.length() * 1000 / sampleRateHz);
        return Math.max(hopMs, (hopMs + windowMs + spec.maxGapMs()) / 2);
    }

    /** @param train the training windows, each person's in the order they were recorded */
    static SmoothingModel learn(List<LabeledWindow> train, int classes, WindowSpec spec, double sampleRateHz) {
        long hopMs = Math.max(1, Math.round(spec.hop() * 1000 / sampleRateHz));
        long maxGapMs = maxGapMs(spec, sampleRateHz);
        long[][] counts = new long[classes][classes];
        long[] perClass = new long[classes];
        Map<String, LabeledWindow> previous = new HashMap<>();
        for (LabeledWindow w : train) {
            perClass[w.label()]++;
            LabeledWindow p = previous.put(w.user(), w);
            if (p != null) {
                long dt = w.window().startTs() - p.window().startTs();
                if (dt > 0 && Math.round((double) dt / hopMs) == 1) {
                    counts[p.label()][w.label()]++;
                }
            }
        }
        double[] prior = new double[classes];
        long total = train.size();
        for (int c = 0; c < classes; c++) {
            prior[c] = total == 0 ? 1.0 / classes : (double) perClass[c] / total;
        }
        double[][] transitions = new double[classes][classes];
        for (int i = 0; i < classes; i++) {
            long n = 0;
            for (long c : counts[i]) {
                n += c;
            }
            for (int j = 0; j < classes; j++) {
                double observed = n == 0 ? (i == j ? 1 : 0) : (double) counts[i][j] / n;
                transitions[i][j] = FLOOR + (1 - classes * FLOOR) * observed;
            }
        }
        return new SmoothingModel(hopMs, maxGapMs, prior, transitions);
    }
}
