package io.harstream.trainer;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.TemperatureScaling;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.trainer.report.CalibrationFigures;
import io.harstream.trainer.report.Reliability;
import io.harstream.trainer.report.SmoothedFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Fits the two scalars a bundle gets from people the network never trained on: the temperature of its
 * probabilities ({@link TemperatureScaling}) and the smoother's evidence exponent
 * ({@link SmoothingModel#evidenceExponent()}).
 *
 * <p>Whose predictions: with the recipe's validation users, the network's own on them (they chose its epoch but
 * never trained it). Without them (the default recipe trains on every training person), a <em>calibration
 * network</em>, trained by the same recipe and seed on the training people minus a held-out share of them
 * ({@code --calibration-users}, drawn by user with the split's seed), predicts the held-out people: the final
 * network itself still trains on everyone, after and independently of it, so its predictions are the ones it
 * would give without calibration. The scalars describe the recipe on unseen people, and are carried over to the
 * final network.
 *
 * <p>Temperature: the {@code T} in {@code [0.05, 20]} that minimises the mean negative log-likelihood of the true
 * class under {@code softmax(log p / T)}, by golden-section search over {@code log T} (the loss is convex in
 * {@code 1/T}, so it has one minimum there). Evidence exponent: of {@link #EXPONENTS}, the one whose causal
 * smoothing of the held-out people's calibrated probabilities (each person's windows in time order, with the
 * smoother learned from the windows the predicting network trained on) is right most often; ties go to the
 * larger exponent, the plainer filter.
 */
final class CalibrationFit {

    /** Evidence exponents tried. */
    static final List<Double> EXPONENTS = List.of(0.125, 0.25, 0.5, 0.75, 1.0);
    static final double MIN_TEMPERATURE = 0.05;
    static final double MAX_TEMPERATURE = 20;
    /** Temperatures {@link #hindsight} tries. */
    static final int HINDSIGHT_GRID = 241;
    /** Stands in for a probability of exactly 0 in the fit's logarithms, so one such window cannot dominate. */
    private static final double MIN_PROBABILITY = 1e-12;

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationFit.class);

    /**
     * @param temperature      the fitted temperature
     * @param evidenceExponent the chosen evidence exponent (1 without smoothing)
     * @param source           "calibration network" or "validation users"
     * @param users            the people fitted on
     * @param windows          their windows
     * @param eceBefore        ECE on them before the temperature
     * @param eceAfter         ECE on them after it
     * @param smoothed         smoothed accuracy on them per exponent tried (empty without smoothing)
     */
    record Result(double temperature, double evidenceExponent, String source, List<String> users, int windows,
                  double eceBefore, double eceAfter, Map<Double, Double> smoothed) {
    }

    private CalibrationFit() {
    }

    /**
     * Fits both scalars for {@code model}, trained on {@code train}; null when {@code fraction} is 0 or too few
     * people are left to hold any out.
     *
     * @param fraction     share of the training people held out when the recipe has no validation users
     * @param splitSeed    draws those people
     * @param trainingSeed trains the calibration network (the final network's own seed)
     * @param label        progress label of the final network ("train", "fold 2/5")
     * @param learn        learns a smoother from training windows, or null without smoothing
     */
    static Result fit(ModelTrainer trainer, ModelTrainer.TrainedModel model, List<LabeledWindow> train,
                      double fraction, long splitSeed, long trainingSeed, String label, List<String> classes,
                      Function<List<LabeledWindow>, SmoothingModel> learn) {
        if (fraction <= 0) {
            return null;
        }
        List<LabeledWindow> heldOut;
        List<LabeledWindow> fitted;
        List<String> users;
        String source;
        ActivityClassifier classifier;
        if (!model.validationUsers().isEmpty()) {
            source = "validation users";
            heldOut = model.validation();
            fitted = model.fitted();
            users = model.validationUsers();
            classifier = model.classifier();
        } else {
            String prefix = label.equals("train") ? "" : label + " ";
            long people = train.stream().map(LabeledWindow::user).distinct().count();
            if (people < 3) {
                LOG.warn("{}calibration: too few training users to hold any out ({}, at least 3 needed): the bundle "
                        + "gets no calibration", prefix, people);
                return null;
            }
            source = "calibration network";
            Split split = Split.byUser(train, fraction, null, splitSeed * 31 + 13);
            heldOut = split.test();
            fitted = split.train();
            users = split.testUsers();
            LOG.info("{}calibration network: users {} ({} windows) held out, trained on the other {} users", prefix,
                    users, heldOut.size(), split.trainUsers().size());
            classifier = trainer.train(fitted, true, List.of(), trainingSeed, prefix + "calibration network",
                    history -> { }).classifier();
        }
        float[][] raw = classifier.probabilities(heldOut.stream().map(LabeledWindow::window).toList());
        int[] labels = heldOut.stream().mapToInt(LabeledWindow::label).toArray();
        double t = temperature(raw, labels);
        float[][] calibrated = scaled(raw, t);
        double eceBefore = Reliability.of(raw, labels).ece();
        double eceAfter = Reliability.of(calibrated, labels).ece();
        Map<Double, Double> smoothed = new LinkedHashMap<>();
        double exponent = 1;
        if (learn != null) {
            SmoothingModel smoothing = learn.apply(fitted);
            double best = -1;
            for (double e : EXPONENTS) {
                double accuracy = SmoothedEvaluation.causal(new ActivitySmoother(smoothing.withEvidenceExponent(e),
                        classes.size()), heldOut, calibrated, classes).accuracy();
                smoothed.put(e, accuracy);
                if (accuracy >= best) {
                    best = accuracy;
                    exponent = e;
                }
            }
        }
        Result r = new Result(t, exponent, source, users, heldOut.size(), eceBefore, eceAfter, smoothed);
        StringBuilder grid = new StringBuilder();
        smoothed.forEach((e, a) -> grid.append(String.format(Locale.ROOT, " %s:%.4f", e, a)));
        LOG.info(String.format(Locale.ROOT, "%s: calibration on %s %s (%d windows): temperature %.4f, ECE %.4f -> %.4f; "
                        + "evidence exponent %s (smoothed accuracy by exponent:%s)", label, source, users,
                heldOut.size(), t, eceBefore, eceAfter, exponent, grid));
        return r;
    }

    /** The temperature minimising the negative log-likelihood of {@code labels} (see the class comment). */
    static double temperature(float[][] probabilities, int[] labels) {
        double[][] logs = new double[probabilities.length][];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = new double[probabilities[i].length];
            for (int j = 0; j < logs[i].length; j++) {
                logs[i][j] = Math.log(Math.max(MIN_PROBABILITY, probabilities[i][j]));
            }
        }
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = nll(logs, labels, Math.exp(a));
        double fb = nll(logs, labels, Math.exp(b));
        while (hi - lo > 1e-6) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = nll(logs, labels, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = nll(logs, labels, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /** Mean negative log-likelihood of the labels under {@code softmax(logs / t)}. */
    static double nll(double[][] logs, int[] labels, double t) {
        double sum = 0;
        for (int i = 0; i < logs.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logs[i]) {
                max = Math.max(max, l / t);
            }
            double z = 0;
            for (double l : logs[i]) {
                z += Math.exp(l / t - max);
            }
            sum -= logs[i][labels[i]] / t - max - Math.log(z);
        }
        return logs.length == 0 ? 0 : sum / logs.length;
    }

    /** Each row scaled by {@code t}, as {@link ActivityClassifier} scales what it returns. */
    static float[][] scaled(float[][] probabilities, double t) {
        float[][] out = new float[probabilities.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = TemperatureScaling.apply(probabilities[i], t);
        }
        return out;
    }

    /**
     * What the fit did to the test windows.
     *
     * @param raw           the network's own probabilities of the test windows
     * @param calibrated    the same scaled by the fitted temperature
     * @param plainSmoothed the test windows smoothed as without calibration, or null without smoothing
     */
    static CalibrationFigures figures(Result fit, List<LabeledWindow> test, float[][] raw, float[][] calibrated,
                                      SmoothedFigures plainSmoothed) {
        int[] labels = test.stream().mapToInt(LabeledWindow::label).toArray();
        return new CalibrationFigures(fit.temperature(), fit.evidenceExponent(), fit.source(), fit.users(),
                fit.windows(), fit.eceBefore(), fit.eceAfter(), fit.smoothed(), Reliability.of(raw, labels),
                Reliability.of(calibrated, labels), plainSmoothed, hindsight(raw, labels, fit.temperature()));
    }

    /**
     * The temperature of {@link #HINDSIGHT_GRID} log-spaced values in [{@link #MIN_TEMPERATURE},
     * {@link #MAX_TEMPERATURE}], 1 and {@code fitted} with the lowest ECE on {@code labels} (see
     * {@link CalibrationFigures#hindsight()}). A grid, not a search: ECE is a step function of the temperature.
     */
    static CalibrationFigures.Hindsight hindsight(float[][] raw, int[] labels, double fitted) {
        double bestT = 1;
        double bestEce = Reliability.of(raw, labels).ece();
        double fittedEce = Reliability.of(scaled(raw, fitted), labels).ece();
        if (fittedEce < bestEce) {
            bestT = fitted;
            bestEce = fittedEce;
        }
        double lo = Math.log(MIN_TEMPERATURE);
        double step = (Math.log(MAX_TEMPERATURE) - lo) / (HINDSIGHT_GRID - 1);
        for (int i = 0; i < HINDSIGHT_GRID; i++) {
            double t = Math.exp(lo + i * step);
            double ece = Reliability.of(scaled(raw, t), labels).ece();
            if (ece < bestEce) {
                bestEce = ece;
                bestT = t;
            }
        }
        return new CalibrationFigures.Hindsight(bestT, bestEce);
    }

    /** One log line: the test windows' ECE before and after, and the expected beside the realized accuracy. */
    static String describe(CalibrationFigures c) {
        return String.format(Locale.ROOT, "test ECE %.4f -> %.4f (temperature %.4f; the best single temperature in "
                        + "hindsight, %.4f, would give %.4f); expected accuracy %.4f, realized %.4f",
                c.testBefore().ece(), c.testAfter().ece(), c.temperature(), c.hindsight().temperature(),
                c.hindsight().ece(), c.testAfter().expectedAccuracy(), c.testAfter().accuracy());
    }
}
