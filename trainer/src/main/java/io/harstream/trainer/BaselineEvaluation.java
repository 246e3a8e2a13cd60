package io.harstream.trainer;

import io.harstream.trainer.baseline.FeatureBaseline;
import io.harstream.trainer.report.BaselineOutcome;

import java.util.List;

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
        HeldOutScores scores = HeldOutScores.of(test, predicted, classes);
        return new BaselineOutcome(model.description(), scores.all(), scores.perUser(),
                (System.nanoTime() - start) / 1e9);
    }
}
