package io.harstream.trainer;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.trainer.report.ActivityStrip;
import io.harstream.trainer.report.ConfusionMatrix;
import io.harstream.trainer.report.SmoothedFigures;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs core's {@link ActivitySmoother} over each test person's windows in the order they were recorded (the order
 * the simulator replays them and the stream-app smooths them per device) and counts the smoothed predictions.
 * Only labelled windows are smoothed; the trainer's readers drop samples of unselected activities, so every
 * window of a test set is labelled and the sequence is exactly the one the stream-app sees.
 */
final class SmoothedEvaluation {

    /** Fixed lags (windows of look-ahead) evaluated beside the causal filter. */
    static final List<Integer> LAGS = List.of(2, 5, 10);

    private SmoothedEvaluation() {
    }

    /** @param probabilities the network's probabilities, one row per test window */
    static SmoothedFigures of(ActivitySmoother smoother, List<LabeledWindow> test, float[][] probabilities,
                              List<String> classes) {
        Map<String, List<Integer>> byUser = byUser(test);
        int[] causal = smoothed(smoother, test, probabilities, byUser, 0);
        HeldOutScores scores = HeldOutScores.of(test, causal, classes);
        Map<Integer, ConfusionMatrix> lagged = new LinkedHashMap<>();
        for (int lag : LAGS) {
            lagged.put(lag, HeldOutScores.of(test, smoothed(smoother, test, probabilities, byUser, lag), classes).all());
        }
        HeldOutScores votes = HeldOutScores.of(test, blockVote(test, probabilities, classes.size()), classes);
        return new SmoothedFigures(scores.all(), new LinkedHashMap<>(scores.perUser()), lagged, votes.all(),
                new LinkedHashMap<>(votes.perUser()));
    }

    /**
     * Each window labelled by the class most windows of its recording were predicted as (ties to the lower class):
     * see {@link SmoothedFigures#blockVote()}.
     */
    static int[] blockVote(List<LabeledWindow> test, float[][] probabilities, int classes) {
        Map<Integer, int[]> votes = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            votes.computeIfAbsent(test.get(i).recording(), r -> new int[classes])
                    [ActivityClassifier.argmax(probabilities[i])]++;
        }
        int[] voted = new int[test.size()];
        for (int i = 0; i < voted.length; i++) {
            int[] v = votes.get(test.get(i).recording());
            int best = 0;
            for (int c = 1; c < classes; c++) {
                best = v[c] > v[best] ? c : best;
            }
            voted[i] = best;
        }
        return voted;
    }

    /** The causal filter's confusion matrix alone (each person's windows in time order). */
    static ConfusionMatrix causal(ActivitySmoother smoother, List<LabeledWindow> windows, float[][] probabilities,
                                  List<String> classes) {
        return HeldOutScores.of(windows, smoothed(smoother, windows, probabilities, byUser(windows), 0), classes).all();
    }

    /**
     * The strip plot's data: the test person whose predictions smoothing changes most (the most windows on ties,
     * then the first in user order), their windows in time order.
     */
    static ActivityStrip strip(ActivitySmoother smoother, List<LabeledWindow> test, float[][] probabilities,
                               List<String> classes) {
        ActivityStrip best = null;
        int bestChanged = -1;
        for (Map.Entry<String, List<Integer>> e : byUser(test).entrySet()) {
            ActivityStrip s = strip(smoother, e.getKey(), e.getValue(), test, probabilities, classes);
            int changed = 0;
            for (int t = 0; t < s.raw().length; t++) {
                changed += s.raw()[t] != s.smoothed()[t] ? 1 : 0;
            }
            if (changed > bestChanged || changed == bestChanged && s.actual().length > best.actual().length) {
                best = s;
                bestChanged = changed;
            }
        }
        return best;
    }

    private static ActivityStrip strip(ActivitySmoother smoother, String user, List<Integer> idx,
                                       List<LabeledWindow> test, float[][] probabilities, List<String> classes) {
        int n = idx.size();
        int[] actual = new int[n];
        int[] raw = new int[n];
        int[] smoothed = new int[n];
        List<Integer> restarts = new ArrayList<>();
        SmootherState state = null;
        for (int t = 0; t < n; t++) {
            LabeledWindow w = test.get(idx.get(t));
            float[] p = probabilities[idx.get(t)];
            state = smoother.step(state, w.window().startTs(), p);
            actual[t] = w.label();
            raw[t] = ActivityClassifier.argmax(p);
            smoothed[t] = state.predicted();
            if (state.restarted()) {
                restarts.add(t);
            }
        }
        return new ActivityStrip(user, classes, actual, raw, smoothed, restarts);
    }

    private static Map<String, List<Integer>> byUser(List<LabeledWindow> test) {
        Map<String, List<Integer>> byUser = new TreeMap<>(Split.USER_ORDER);
        for (int i = 0; i < test.size(); i++) {
            byUser.computeIfAbsent(test.get(i).user(), u -> new ArrayList<>()).add(i);
        }
        return byUser;
    }

    private static int[] smoothed(ActivitySmoother smoother, List<LabeledWindow> test, float[][] probabilities,
                                  Map<String, List<Integer>> byUser, int lag) {
        int[] predicted = new int[test.size()];
        for (List<Integer> idx : byUser.values()) {
            long[] starts = new long[idx.size()];
            float[][] p = new float[idx.size()][];
            for (int t = 0; t < idx.size(); t++) {
                starts[t] = test.get(idx.get(t)).window().startTs();
                p[t] = probabilities[idx.get(t)];
            }
            int[] s = smoother.smooth(starts, p, lag);
            for (int t = 0; t < idx.size(); t++) {
                predicted[idx.get(t)] = s[t];
            }
        }
        return predicted;
    }
}
