package io.harstream.streamapp.metrics;

import io.harstream.core.model.BundleManifest;
import io.harstream.core.smoothing.SmoothingModel;
import io.harstream.streamapp.metrics.HarMetrics.Role;
import io.harstream.streamapp.metrics.HarMetrics.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The meters of one model in one role, registered at zero together: its confusion counters
 * ({@code har_predictions_total{actual, predicted, stage, model_version, role}}, every pair of its own classes, the
 * {@code smoothed} stage only for a bundle that smooths, {@code lagged} only when the fixed-lag smoother is served
 * too), {@code har_model_info{version, classes, role}} and its
 * offline figures ({@code har_model_offline_*_ratio{version, figure, role}}). A model with another class set has its
 * own label values. Obtained from {@link HarMetrics#model}.
 */
public final class ModelMeters {

    private final MeterRegistry registry;
    private final String version;
    private final List<String> classes;
    /** stage -> actual -> predicted -> counter; actual includes {@link HarMetrics#UNKNOWN_ACTUAL}. */
    private final Map<Stage, Map<String, Map<String, Counter>>> predictions = new EnumMap<>(Stage.class);
    private final List<Meter> gauges = new ArrayList<>();

    /** @param lagged whether the fixed-lag smoother is served (then a model that smooths counts stage "lagged" too) */
    ModelMeters(MeterRegistry registry, BundleManifest manifest, Role role, boolean lagged) {
        this.registry = registry;
        this.version = manifest.modelVersion();
        this.classes = List.copyOf(manifest.classes());
        List<Stage> stages = !manifest.smoothed() ? List.of(Stage.RAW)
                : lagged ? List.of(Stage.RAW, Stage.SMOOTHED, Stage.LAGGED) : List.of(Stage.RAW, Stage.SMOOTHED);
        for (Stage stage : stages) {
            Map<String, Map<String, Counter>> matrix = new HashMap<>();
            for (String actual : Stream.concat(classes.stream(), Stream.of(HarMetrics.UNKNOWN_ACTUAL)).toList()) {
                Map<String, Counter> row = new HashMap<>();
                for (String predicted : classes) {
                    row.put(predicted, Counter.builder(HarMetrics.PREDICTIONS).tag("actual", actual)
                            .tag("predicted", predicted).tag("stage", stage.id())
                            .tag("model_version", version).tag("role", role.id())
                            .description("Classified windows by true (majority) and predicted activity: the confusion"
                                    + " matrix; actual=\"unknown\" for unlabelled windows; stage=\"raw\" the network's"
                                    + " prediction, stage=\"smoothed\" the same window after the per-device smoother"
                                    + " (only for a bundle that smooths), stage=\"lagged\" after the fixed-lag smoother (only with a"
                                    + " smoothing lag); model_version and role (active: written to"
                                    + " the predictions topic, candidate: in its shadow) of the model that classified")
                            .register(registry));
                }
                matrix.put(actual, row);
            }
            predictions.put(stage, matrix);
        }
        gauges.add(Gauge.builder(HarMetrics.MODEL_INFO, () -> 1)
                .description("The served models: version, class order and role (active, candidate)")
                .tag("version", version).tag("classes", String.join(",", classes)).tag("role", role.id())
                .register(registry));
        SmoothingModel smoothing = manifest.smoothing();
        if (smoothing != null) {
            for (int i = 0; i < classes.size(); i++) {
                double prior = smoothing.prior()[i];
                gauges.add(Gauge.builder(HarMetrics.MODEL_CLASS_PRIOR, () -> prior)
                        .description("How often each class occurred in the served model's training windows (the"
                                + " bundle's smoothing prior), 0-1: the class mix the drift score compares the"
                                + " predicted mix with. Absent for a bundle without a smoothing section")
                        .baseUnit("ratio")
                        .tag("version", version).tag("class", classes.get(i)).tag("role", role.id())
                        .register(registry));
            }
        }
        BundleManifest.Metrics test = manifest.metrics();
        if (test != null) {
            offlineFigure(HarMetrics.MODEL_OFFLINE_ACCURACY, role, HarMetrics.FIGURE_TEST, test.testAccuracy());
            offlineFigure(HarMetrics.MODEL_OFFLINE_MACRO_F1, role, HarMetrics.FIGURE_TEST, test.macroF1());
        }
        BundleManifest.CrossValidationFigures cv = manifest.crossValidation();
        if (cv != null) {
            offlineFigure(HarMetrics.MODEL_OFFLINE_ACCURACY, role, HarMetrics.FIGURE_CV_MEAN, cv.meanAccuracy());
            offlineFigure(HarMetrics.MODEL_OFFLINE_MACRO_F1, role, HarMetrics.FIGURE_CV_MEAN, cv.meanMacroF1());
        }
    }

    private void offlineFigure(String name, Role role, String figure, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        String what = name.equals(HarMetrics.MODEL_OFFLINE_ACCURACY) ? "accuracy" : "macro-F1 (mean F1 over classes)";
        gauges.add(Gauge.builder(name, () -> value)
                .description("The loaded model's " + what + " as the trainer measured it offline, 0-1:"
                        + " figure=\"test\" on the bundle's held-out test people, figure=\"cv_mean\" the mean over the"
                        + " recipe's leave-subjects-out cross-validation folds (only when the bundle records one)."
                        + " The reference the live figures and alerts are compared with")
                .baseUnit("ratio")
                .tag("version", version).tag("figure", figure).tag("role", role.id())
                .register(registry));
    }

    public String version() {
        return version;
    }

    /**
     * A window this model classified.
     *
     * @param actual the window's true activity, or null when unlabelled or not one of this model's classes
     * @throws NullPointerException for {@link Stage#SMOOTHED} when the bundle does not smooth
     */
    public void prediction(Stage stage, String actual, String predicted) {
        Map<String, Counter> row = predictions.get(stage).get(actual);
        (row == null ? predictions.get(stage).get(HarMetrics.UNKNOWN_ACTUAL) : row).get(predicted).increment();
    }

    void retireGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    void removeCounters() {
        retireGauges();
        predictions.values().forEach(m -> m.values().forEach(row -> row.values().forEach(registry::remove)));
    }
}
