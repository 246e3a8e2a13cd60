package io.harstream.trainer;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.core.window.Window;
import io.harstream.trainer.baseline.FeatureBaseline;
import io.harstream.trainer.report.BaselineOutcome;
import io.harstream.trainer.report.CalibrationFigures;
import io.harstream.trainer.report.ConfusionMatrix;
import io.harstream.trainer.report.CrossValidationOutcome;
import io.harstream.trainer.report.FoldOutcome;
import io.harstream.trainer.report.PhonePosture;
import io.harstream.trainer.report.Reliability;
import io.harstream.trainer.report.SmoothedFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leave-subjects-out cross-validation: the users are dealt into K folds; each fold's users are the test set
 * of a network trained (by the same {@link ModelTrainer} as the bundled model, validation users included)
 * on everyone else, and of the feature baseline trained on the same windows.
 */
final class CrossValidation {

    private static final Logger LOG = LoggerFactory.getLogger(CrossValidation.class);

    private CrossValidation() {
    }

    /**
     * Deals the users, shuffled with {@code seed}, round-robin into {@code k} folds: disjoint, every user in
     * exactly one, sizes differing by at most one, the same for the same seed.
     */
    static List<List<String>> folds(Collection<String> users, int k, long seed) {
        TreeSet<String> unique = new TreeSet<>(Split.USER_ORDER);
        unique.addAll(users);
        List<String> sorted = new ArrayList<>(unique);
        if (k < 2) {
            throw new TrainerException("--cv needs at least 2 folds, got " + k);
        }
        if (k > sorted.size()) {
            throw new TrainerException("--cv " + k + " needs at least " + k + " users, the data has " + sorted.size());
        }
        Collections.shuffle(sorted, new Random(seed));
        List<List<String>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        for (int i = 0; i < sorted.size(); i++) {
            folds.get(i % k).add(sorted.get(i));
        }
        List<List<String>> result = new ArrayList<>();
        for (List<String> f : folds) {
            f.sort(Split.USER_ORDER);
            result.add(List.copyOf(f));
        }
        return List.copyOf(result);
    }

    /**
     * @param seed         deals the folds
     * @param trainingSeed drives each fold's training (fold f trains with {@code trainingSeed + f})
     * @param baseline     settings of the feature baseline, or null to skip it
     * @param learn        learns the smoother from a fold's training windows, or null without smoothing
     * @param calibrationUsers share of each fold's training people held out to calibrate it ({@link CalibrationFit};
     *                     fold f draws them with {@code seed + f}), 0 for none
     */
    static CrossValidationOutcome run(List<LabeledWindow> windows, List<String> classes, int k, long seed,
                                      long trainingSeed, ModelTrainer trainer, String recipeName,
                                      FeatureBaseline.Settings baseline,
                                      java.util.function.Function<List<LabeledWindow>, SmoothingModel> learn,
                                      double calibrationUsers) {
        Set<String> users = new HashSet<>();
        windows.forEach(w -> users.add(w.user()));
        List<List<String>> folds = folds(users, k, seed);
        List<FoldOutcome> outcomes = new ArrayList<>();
        String baselineDescription = null;
        for (int f = 0; f < folds.size(); f++) {
            long start = System.nanoTime();
            String label = "fold " + (f + 1) + "/" + k;
            Split split = Split.byUser(windows, 0, folds.get(f), seed);
            LOG.info("{}: test users {}, {} test windows, {} training windows", label, split.testUsers(),
                    split.test().size(), split.train().size());
            ModelTrainer.TrainedModel model = trainer.train(split.train(), true, split.test(), trainingSeed + f, label,
                    history -> { });
            List<Window> testWindows = split.test().stream().map(LabeledWindow::window).toList();
            float[][] uncalibrated = model.classifier().probabilities(testWindows);
            CalibrationFit.Result fit = CalibrationFit.fit(trainer, model, split.train(), calibrationUsers, seed + f,
                    trainingSeed + f, label, classes, learn);
            float[][] probabilities = fit == null ? uncalibrated : new ActivityClassifier(model.network(),
                    model.preprocessor(), 1024, 1, fit.temperature()).probabilities(testWindows);
            int[] predicted = new int[probabilities.length];
            for (int i = 0; i < probabilities.length; i++) {
                predicted[i] = ActivityClassifier.argmax(probabilities[i]);
            }
            HeldOutScores scores = HeldOutScores.of(split.test(), predicted, classes);
            SmoothingModel plain = learn == null ? null : learn.apply(split.train());
            SmoothedFigures smoothed = plain == null ? null : SmoothedEvaluation.of(
                    new ActivitySmoother(plain.withEvidenceExponent(fit == null ? 1 : fit.evidenceExponent()),
                            classes.size()), split.test(), probabilities, classes);
            SmoothedFigures plainSmoothed = plain == null || fit == null ? null : SmoothedEvaluation.of(
                    new ActivitySmoother(plain, classes.size()), split.test(), uncalibrated, classes);
            CalibrationFigures calibration = fit == null ? null
                    : CalibrationFit.figures(fit, split.test(), uncalibrated, probabilities, plainSmoothed);
            ConfusionMatrix lstm = scores.all();
            Map<String, ConfusionMatrix> perUser = scores.perUser();
            ConfusionMatrix baselineCm = null;
            Map<String, ConfusionMatrix> baselinePerUser = Map.of();
            if (baseline != null) {
                BaselineOutcome b = BaselineEvaluation.evaluate(baseline, split.train(), split.test(), classes);
                baselineCm = b.confusion();
                baselinePerUser = b.perUser();
                baselineDescription = b.description();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            outcomes.add(new FoldOutcome(f + 1, split.testUsers(), model.validationUsers(), model.fitted().size(),
                    model.validation().size(), split.test().size(), model.keptEpoch(), model.history().size(), seconds,
                    lstm, baselineCm, new LinkedHashMap<>(perUser), new LinkedHashMap<>(baselinePerUser),
                    postures(split.test(), classes), smoothed, calibration));
            LOG.info(String.format(Locale.ROOT, "%s: LSTM accuracy %.4f macro-F1 %.4f (epoch %d)%s  (%.0f s)", label,
                    lstm.accuracy(), lstm.macroF1(), model.keptEpoch(), baselineCm == null ? ""
                            : String.format(Locale.ROOT, "; baseline accuracy %.4f macro-F1 %.4f",
                                    baselineCm.accuracy(), baselineCm.macroF1()), seconds));
            if (smoothed != null) {
                StringBuilder lags = new StringBuilder();
                smoothed.lagged().forEach((lag, cm) -> lags.append(String.format(Locale.ROOT,
                        "; lag %d: %.4f / %.4f", lag, cm.accuracy(), cm.macroF1())));
                LOG.info(String.format(Locale.ROOT, "%s: smoothed accuracy %.4f macro-F1 %.4f (raw %.4f / %.4f)%s; "
                                + "each recording voted by its raw labels: %.4f / %.4f", label, smoothed.causal().accuracy(),
                        smoothed.causal().macroF1(), lstm.accuracy(), lstm.macroF1(), lags,
                        smoothed.blockVote().accuracy(), smoothed.blockVote().macroF1()));
            }
            if (calibration != null) {
                LOG.info("{}: calibrated: {}{}", label, CalibrationFit.describe(calibration), plainSmoothed == null
                        ? "" : String.format(Locale.ROOT, "; smoothed with exponent %s %.4f, without calibration "
                                + "(exponent 1) %.4f", fit.evidenceExponent(), smoothed.causal().accuracy(),
                        plainSmoothed.causal().accuracy()));
            }
            // Per person as soon as the fold ends: a long run that is stopped early still shows who is hard.
            StringBuilder byUser = new StringBuilder();
            Map<String, ConfusionMatrix> baselineByUser = baselinePerUser;
            Map<String, Reliability> reliability = perUserReliability(split.test(), probabilities);
            perUser.forEach((user, cm) -> {
                byUser.append(String.format(Locale.ROOT, " %s %.3f", user, cm.accuracy()));
                if (smoothed != null) {
                    byUser.append(String.format(Locale.ROOT, " (smoothed %.3f",
                            smoothed.perUser().get(user).accuracy()));
                    if (plainSmoothed != null) {
                        byUser.append(String.format(Locale.ROOT, ", without calibration %.3f",
                                plainSmoothed.perUser().get(user).accuracy()));
                    }
                    byUser.append(String.format(Locale.ROOT, ", voted %.3f",
                            smoothed.blockVotePerUser().get(user).accuracy()));
                    byUser.append(')');
                }
                if (calibration != null) {
                    byUser.append(String.format(Locale.ROOT, " (expected %.3f, ECE %.3f)",
                            reliability.get(user).expectedAccuracy(), reliability.get(user).ece()));
                }
                if (baselineByUser.containsKey(user)) {
                    byUser.append(String.format(Locale.ROOT, " (baseline %.3f)", baselineByUser.get(user).accuracy()));
                }
            });
            LOG.info("{}: LSTM accuracy per test user:{}", label, byUser);
        }
        CrossValidationOutcome cv = new CrossValidationOutcome(seed, recipeName, baselineDescription, outcomes);
        LOG.info(String.format(Locale.ROOT, "cross-validation, %d folds: LSTM accuracy %.4f +- %.4f, macro-F1 %.4f +- %.4f",
                k, cv.lstmAccuracy().mean(), cv.lstmAccuracy().sd(), cv.lstmMacroF1().mean(), cv.lstmMacroF1().sd()));
        if (cv.hasCalibration()) {
            LOG.info(String.format(Locale.ROOT, "cross-validation, %d folds: test ECE %.4f +- %.4f before calibration, "
                    + "%.4f +- %.4f after (%.4f +- %.4f with each fold's best temperature in hindsight); expected "
                    + "accuracy %.4f (realized %.4f)", k, cv.ece(false).mean(), cv.ece(false).sd(), cv.ece(true).mean(),
                    cv.ece(true).sd(), cv.hindsightEce().mean(), cv.hindsightEce().sd(), cv.expectedAccuracy().mean(),
                    cv.lstmAccuracy().mean()));
        }
        if (cv.hasSmoothing()) {
            LOG.info(String.format(Locale.ROOT, "cross-validation, %d folds: smoothed accuracy %.4f +- %.4f, macro-F1 "
                    + "%.4f +- %.4f; each recording voted by its raw labels %.4f", k, cv.smoothedAccuracy().mean(),
                    cv.smoothedAccuracy().sd(), cv.smoothedMacroF1().mean(), cv.smoothedMacroF1().sd(),
                    cv.blockVoteAccuracy().mean()));
        }
        return cv;
    }

    /** The calibrated reliability of each test user's windows. */
    private static Map<String, Reliability> perUserReliability(List<LabeledWindow> test, float[][] probabilities) {
        Map<String, List<Integer>> idx = new TreeMap<>(Split.USER_ORDER);
        for (int i = 0; i < test.size(); i++) {
            idx.computeIfAbsent(test.get(i).user(), u -> new ArrayList<>()).add(i);
        }
        Map<String, Reliability> out = new LinkedHashMap<>();
        idx.forEach((user, rows) -> out.put(user, Reliability.of(
                rows.stream().map(i -> probabilities[i]).toArray(float[][]::new),
                rows.stream().mapToInt(i -> test.get(i).label()).toArray())));
        return out;
    }

    /** How each user's phone lay in each of their activities (the report's explanation of who is hard). */
    static Map<String, Map<String, PhonePosture>> postures(List<LabeledWindow> windows, List<String> classes) {
        Map<String, Map<Integer, List<Window>>> grouped = new TreeMap<>(Split.USER_ORDER);
        for (LabeledWindow w : windows) {
            grouped.computeIfAbsent(w.user(), u -> new TreeMap<>()).computeIfAbsent(w.label(), l -> new ArrayList<>())
                    .add(w.window());
        }
        Map<String, Map<String, PhonePosture>> postures = new LinkedHashMap<>();
        grouped.forEach((user, byClass) -> {
            Map<String, PhonePosture> perClass = new LinkedHashMap<>();
            byClass.forEach((label, list) -> perClass.put(classes.get(label), PhonePosture.of(list)));
            postures.put(user, perClass);
        });
        return postures;
    }
}
