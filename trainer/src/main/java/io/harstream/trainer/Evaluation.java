package io.harstream.trainer;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.window.Window;
import io.harstream.trainer.report.ConfusionMatrix;

import java.util.List;

/**
 * Loss, accuracy and confusion matrix of a classifier on labelled windows, computed from one
 * forward pass through {@link ActivityClassifier} (the path the stream-app uses too).
 *
 * @param loss      mean cross-entropy of the true class (data loss only, without the L2 term)
 * @param accuracy  share of windows whose most probable class is the true one
 * @param confusion counts of (actual, predicted)
 * @param probabilities the classifier's probabilities, one row per window
 */
public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion, float[][] probabilities) {

    /** Probabilities below this are clamped so that one confident mistake cannot make the loss infinite. */
    private static final double MIN_PROBABILITY = 1e-7;

    public static Evaluation of(ActivityClassifier classifier, List<LabeledWindow> windows, List<String> classes) {
        List<Window> raw = windows.stream().map(LabeledWindow::window).toList();
        float[][] probs = classifier.probabilities(raw);
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        double lossSum = 0;
        for (int i = 0; i < probs.length; i++) {
            int actual = windows.get(i).label();
            cm.add(actual, ActivityClassifier.argmax(probs[i]));
            lossSum -= Math.log(Math.max(MIN_PROBABILITY, probs[i][actual]));
        }
        int n = Math.max(1, probs.length);
        return new Evaluation(lossSum / n, cm.accuracy(), cm, probs);
    }
}
