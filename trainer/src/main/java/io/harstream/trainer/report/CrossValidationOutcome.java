package io.harstream.trainer.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Leave-subjects-out cross-validation: every user is a test user in exactly one fold.
 *
 * @param seed                the seed that drew the folds
 * @param recipe              the recipe's name
 * @param baselineDescription what the baseline is, or null when it was not run
 * @param folds               the folds, in order
 */
public record CrossValidationOutcome(long seed, String recipe, String baselineDescription, List<FoldOutcome> folds) {

    /** Mean and sample standard deviation of a per-fold figure. */
    public record Spread(double mean, double sd) {
        static Spread of(List<FoldOutcome> folds, ToDoubleFunction<FoldOutcome> f) {
            double sum = 0;
            for (FoldOutcome fo : folds) {
                sum += f.applyAsDouble(fo);
            }
            double mean = sum / folds.size();
            double ss = 0;
            for (FoldOutcome fo : folds) {
                double d = f.applyAsDouble(fo) - mean;
                ss += d * d;
            }
            return new Spread(mean, folds.size() > 1 ? Math.sqrt(ss / (folds.size() - 1)) : 0);
        }
    }

    /**
     * One user's figures, from the fold where they were a test user.
     *
     * @param confusion the network's confusion matrix of this user
     * @param baseline  the baseline's, or null when it was not run
     * @param postures  how the user's phone lay in each of their activities, by activity name
     * @param smoothed  the network's smoothed predictions' confusion matrix, or null without smoothing
     */
    public record UserFigures(String user, int fold, ConfusionMatrix confusion, ConfusionMatrix baseline,
                              Map<String, PhonePosture> postures, ConfusionMatrix smoothed) {
    }

    public int k() {
        return folds.size();
    }

    /** How each fold's network got its epoch, in words for the report: on validation users, or the last. */
    public String epochChoice() {
        return folds.stream().anyMatch(f -> !f.validationUsers().isEmpty())
                ? "the epoch is chosen on validation users carved out of each fold's training users"
                : "each fold trains the recipe's fixed number of epochs on all its training users and keeps the last";
    }

    public boolean hasBaseline() {
        return folds.stream().allMatch(f -> f.baseline() != null);
    }

    public Spread lstmAccuracy() {
        return Spread.of(folds, f -> f.lstm().accuracy());
    }

    public Spread lstmMacroF1() {
        return Spread.of(folds, f -> f.lstm().macroF1());
    }

    /** Whether every fold's predictions were smoothed too. */
    public boolean hasSmoothing() {
        return folds.stream().allMatch(f -> f.smoothed() != null);
    }

    public Spread smoothedAccuracy() {
        return hasSmoothing() ? Spread.of(folds, f -> f.smoothed().causal().accuracy()) : null;
    }

    public Spread smoothedMacroF1() {
        return hasSmoothing() ? Spread.of(folds, f -> f.smoothed().causal().macroF1()) : null;
    }

    /** Mean and spread over the folds of the fixed-lag smoother's accuracy ({@code macroF1} false) or macro-F1. */
    public Spread laggedSpread(int lag, boolean macroF1) {
        return hasSmoothing() ? Spread.of(folds, f -> macroF1 ? f.smoothed().lagged().get(lag).macroF1()
                : f.smoothed().lagged().get(lag).accuracy()) : null;
    }

    /** The lags every fold was smoothed with, in order. */
    public List<Integer> lags() {
        return hasSmoothing() ? List.copyOf(folds.get(0).smoothed().lagged().keySet()) : List.of();
    }

    public ConfusionMatrix smoothedSummed() {
        return hasSmoothing() ? sum(f -> f.smoothed().causal()) : null;
    }

    /** Whether every fold was calibrated. */
    public boolean hasCalibration() {
        return folds.stream().allMatch(f -> f.calibration() != null);
    }

    /** ECE of the test windows over the folds, before ({@code after} false) or after the fold's temperature. */
    public Spread ece(boolean after) {
        return hasCalibration() ? Spread.of(folds, f -> (after ? f.calibration().testAfter()
                : f.calibration().testBefore()).ece()) : null;
    }

    /** Each fold's hindsight ECE over the folds (see {@link CalibrationFigures#hindsight()}). */
    public Spread hindsightEce() {
        return hasCalibration() ? Spread.of(folds, f -> f.calibration().hindsight().ece()) : null;
    }

    /** Accuracy with each recording voted, over the folds (see {@link SmoothedFigures#blockVote()}). */
    public Spread blockVoteAccuracy() {
        return hasSmoothing() ? Spread.of(folds, f -> f.smoothed().blockVote().accuracy()) : null;
    }

    /** The calibrated mean top probability over the folds: the accuracy each fold's network expected. */
    public Spread expectedAccuracy() {
        return hasCalibration() ? Spread.of(folds, f -> f.calibration().testAfter().expectedAccuracy()) : null;
    }

    public Spread baselineAccuracy() {
        return hasBaseline() ? Spread.of(folds, f -> f.baseline().accuracy()) : null;
    }

    public Spread baselineMacroF1() {
        return hasBaseline() ? Spread.of(folds, f -> f.baseline().macroF1()) : null;
    }

    /** The network's confusion matrices of all folds added up: every window of every user once. */
    public ConfusionMatrix lstmSummed() {
        return sum(FoldOutcome::lstm);
    }

    public ConfusionMatrix baselineSummed() {
        return hasBaseline() ? sum(FoldOutcome::baseline) : null;
    }

    /** Every user with the network's figures, worst accuracy first. */
    public List<UserFigures> usersByAccuracy() {
        List<UserFigures> users = new ArrayList<>();
        for (FoldOutcome f : folds) {
            for (Map.Entry<String, ConfusionMatrix> e : f.lstmPerUser().entrySet()) {
                users.add(new UserFigures(e.getKey(), f.fold(), e.getValue(), f.baselinePerUser().get(e.getKey()),
                        f.posturesPerUser().getOrDefault(e.getKey(), Map.of()),
                        f.smoothed() == null ? null : f.smoothed().perUser().get(e.getKey())));
            }
        }
        users.sort(Comparator.comparingDouble((UserFigures u) -> u.confusion().accuracy()).thenComparing(UserFigures::user));
        return users;
    }

    private ConfusionMatrix sum(Function<FoldOutcome, ConfusionMatrix> f) {
        ConfusionMatrix total = null;
        for (FoldOutcome fo : folds) {
            total = total == null ? f.apply(fo) : total.merge(f.apply(fo));
        }
        return total;
    }
}
