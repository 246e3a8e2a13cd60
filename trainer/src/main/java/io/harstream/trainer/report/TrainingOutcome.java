package io.harstream.trainer.report;

import io.soabase.recordbuilder.core.RecordBuilder;

import java.util.List;
import java.util.Map;

/**
 * Everything the evaluation outputs (history, metrics.json, plots, report.html) are made from.
 * The trainer fills it ({@link TrainingOutcomeBuilder}); {@link EvaluationWriter} turns it into files.
 *
 * @param dataSource      where the data came from (path or "synthetic (seed 42, 12 users)")
 * @param skipSummary     the readers' skip report, one line per reason, or "nothing skipped"
 * @param readerNotes     other things the reader did (e.g. resampled blocks); empty when not given
 * @param classes         class names in model output order
 * @param splitMethod     "user" or "random"
 * @param splitNote       one sentence saying what the split means (and that random is leaky)
 * @param trainUsers      users whose windows are in the training set
 * @param testUsers       users whose windows are in the test set
 * @param trainWindows    number of training windows
 * @param testWindows     number of test windows
 * @param trainWindowsPerClass training windows per class, in class order
 * @param testWindowsPerClass  test windows per class, in class order
 * @param hyperparameters recipe and settings, in display order (e.g. "epochs" -> "50")
 * @param history         one entry per epoch
 * @param confusion       final test confusion matrix
 * @param testLoss        final test loss
 * @param trainingSeconds wall time of the whole training loop
 * @param modelVersion    the bundle's model version string
 * @param epochChoice     which epoch the bundled network comes from, and why
 * @param validationUsers users held back from training to choose the epoch (empty if none, not given or random
 *                        split)
 * @param validationWindows windows held back to choose the epoch
 * @param baseline        the feature baseline on the same split, or null
 * @param crossValidation leave-subjects-out cross-validation, or null when not run
 * @param smoothed        the test predictions smoothed over each test person's windows, or null without smoothing
 * @param strip           one test person's true, raw and smoothed activity over time, or null without smoothing
 * @param calibration     the bundle's temperature and evidence exponent and the test windows' reliability before
 *                        and after, or null without calibration
 */
@RecordBuilder
public record TrainingOutcome(String dataSource, String skipSummary, List<String> readerNotes, List<String> classes,
                             String splitMethod, String splitNote, List<String> trainUsers, List<String> testUsers,
                             int trainWindows, int testWindows, long[] trainWindowsPerClass,
                             long[] testWindowsPerClass, Map<String, String> hyperparameters,
                             List<EpochStats> history, ConfusionMatrix confusion, double testLoss,
                             double trainingSeconds, String modelVersion, String epochChoice,
                             List<String> validationUsers, int validationWindows, BaselineOutcome baseline,
                             CrossValidationOutcome crossValidation, SmoothedFigures smoothed, ActivityStrip strip,
                             CalibrationFigures calibration)
        implements TrainingOutcomeBuilder.With {

    public TrainingOutcome {
        readerNotes = readerNotes == null ? List.of() : readerNotes;
        validationUsers = validationUsers == null ? List.of() : validationUsers;
    }
}
