package io.harstream.trainer;

import io.harstream.trainer.baseline.FeatureBaseline;
import io.harstream.trainer.report.BaselineOutcome;
import io.harstream.trainer.report.ConfusionMatrix;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Trains the feature baseline on a split's training windows and scores it on its test windows. */
final class BaselineEvaluation {

    private BaselineEvaluation() {
    }

    static BaselineOutcome evaluate(FeatureBaseline.Settings settings, List<LabeledWindow> train,
                                    List<LabeledWindow> test, List<String> classes) {
        long start = System.nanoTime();
        FeatureBaseline model = FeatureBaseline.train(train.stream().map(LabeledWindow::window).toList(),
                train.stream().mapToInt(LabeledWindow::label).toArray(), classes, settings);
        int[] predicted = model.predict(test.stream().map(LabeledWindow::window).toList());
        ConfusionMatrix cm = new ConfusionMatrix(classes);
        Map<String, ConfusionMatrix> perUser = new TreeMap<>(Split.USER_ORDER);
        for (int i = 0; i < predicted.length; i++) {
            LabeledWindow w = test.get(i);
            cm.add(w.label(), predicted[i]);
            perUser.computeIfAbsent(w.user(), u -> new ConfusionMatrix(classes)).add(w.label(), predicted[i]);
        }
        return new BaselineOutcome(model.description(), cm, perUser, (System.nanoTime() - start) / 1e9);
    }
}
