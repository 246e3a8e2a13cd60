package io.harstream.trainer;

import io.harstream.trainer.report.CrossValidationOutcome;
import io.harstream.trainer.report.TrainingOutcome;

import java.util.Locale;

/** The few lines a finished training prints: the figures, the baseline's and cross-validation's, and where to look. */
public final class TrainingSummary {

    private TrainingSummary() {
    }

    /** The summary of {@code outcome}, trained by {@code request}; lines end in {@code \n}. */
    public static String of(TrainingRequest request, TrainingOutcome outcome) {
        StringBuilder o = new StringBuilder();
        boolean leaky = request.split() == Split.Method.RANDOM;
        o.append(String.format(Locale.ROOT, "%nmodel %s (%s split%s, recipe %s)%n  test accuracy %.4f  macro-F1 %.4f  "
                        + "test loss %.4f%n  %d train / %d validation / %d test windows, %d epochs in %.0f s "
                        + "(%.0f windows/s); %s%n",
                outcome.modelVersion(), outcome.splitMethod(), leaky ? ", LEAKY" : ", users held out",
                request.recipe().name(), outcome.confusion().accuracy(), outcome.confusion().macroF1(),
                outcome.testLoss(), outcome.trainWindows(), outcome.validationWindows(), outcome.testWindows(),
                outcome.history().size(), outcome.trainingSeconds(),
                (double) outcome.trainWindows() * outcome.history().size() / outcome.trainingSeconds(),
                outcome.epochChoice()));
        if (outcome.smoothed() != null) {
            o.append(String.format(Locale.ROOT, "  smoothed over time (as the stream-app serves it): accuracy %.4f  "
                    + "macro-F1 %.4f%n", outcome.smoothed().causal().accuracy(), outcome.smoothed().causal().macroF1()));
        }
        if (outcome.calibration() != null) {
            var c = outcome.calibration();
            o.append(String.format(Locale.ROOT, "  calibrated (temperature %.3f, evidence exponent %s, fitted on %s): "
                            + "test ECE %.4f -> %.4f; expected accuracy %.4f (realized %.4f)%n", c.temperature(),
                    c.evidenceExponent(), c.fittedOn(), c.testBefore().ece(), c.testAfter().ece(),
                    c.testAfter().expectedAccuracy(), c.testAfter().accuracy()));
        }
        if (outcome.baseline() != null) {
            o.append(String.format(Locale.ROOT, "  feature baseline: accuracy %.4f  macro-F1 %.4f%n",
                    outcome.baseline().confusion().accuracy(), outcome.baseline().confusion().macroF1()));
        }
        CrossValidationOutcome cv = outcome.crossValidation();
        if (cv != null) {
            o.append(String.format(Locale.ROOT, "  %d-fold leave-subjects-out: LSTM accuracy %.4f +- %.4f  "
                            + "macro-F1 %.4f +- %.4f%n", cv.k(), cv.lstmAccuracy().mean(), cv.lstmAccuracy().sd(),
                    cv.lstmMacroF1().mean(), cv.lstmMacroF1().sd()));
            if (cv.hasCalibration()) {
                o.append(String.format(Locale.ROOT, "  %d-fold leave-subjects-out: test ECE %.4f -> %.4f; expected "
                                + "accuracy %.4f%n", cv.k(), cv.ece(false).mean(), cv.ece(true).mean(),
                        cv.expectedAccuracy().mean()));
            }
            if (cv.hasSmoothing()) {
                o.append(String.format(Locale.ROOT, "  %d-fold leave-subjects-out: smoothed accuracy %.4f +- %.4f  "
                                + "macro-F1 %.4f +- %.4f%n", cv.k(), cv.smoothedAccuracy().mean(),
                        cv.smoothedAccuracy().sd(), cv.smoothedMacroF1().mean(), cv.smoothedMacroF1().sd()));
            }
            if (cv.hasBaseline()) {
                o.append(String.format(Locale.ROOT, "  %d-fold leave-subjects-out: baseline accuracy %.4f +- %.4f  "
                                + "macro-F1 %.4f +- %.4f%n", cv.k(), cv.baselineAccuracy().mean(),
                        cv.baselineAccuracy().sd(), cv.baselineMacroF1().mean(), cv.baselineMacroF1().sd()));
            }
        }
        o.append(String.format(Locale.ROOT, "  written to %s (open report.html)%n", request.out().toAbsolutePath()));
        return o.toString();
    }
}
