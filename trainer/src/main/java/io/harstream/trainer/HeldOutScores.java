package io.harstream.trainer;

import io.harstream.trainer.report.ConfusionMatrix;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A classifier's predictions on test windows, counted for the whole test set and for each test user.
 *
 * @param all     the confusion matrix of every test window
 * @param perUser the confusion matrix of each test user, users in {@link Split#USER_ORDER}
 */
record HeldOutScores(ConfusionMatrix all, Map<String, ConfusionMatrix> perUser) {

    /** {@code predicted[i]} is the class predicted for {@code test.get(i)}. */
    static HeldOutScores of(List<LabeledWindow> test, int[] predicted, List<String> classes) {
        ConfusionMatrix all = new ConfusionMatrix(classes);
        Map<String, ConfusionMatrix> perUser = new TreeMap<>(Split.USER_ORDER);
        for (int i = 0; i < predicted.length; i++) {
            LabeledWindow w = test.get(i);
            all.add(w.label(), predicted[i]);
            perUser.computeIfAbsent(w.user(), u -> new ConfusionMatrix(classes)).add(w.label(), predicted[i]);
        }
        return new HeldOutScores(all, perUser);
    }
}
