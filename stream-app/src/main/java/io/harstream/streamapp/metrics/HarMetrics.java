package io.harstream.streamapp.metrics;

import io.harstream.core.event.RejectReason;
import io.harstream.core.model.BundleManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The stream-app's own meters, with the names of the design's metrics contract. Micrometer adds the
 * Prometheus suffixes: counter {@code har.events} is scraped as {@code har_events_total}, timer
 * {@code har.inference.batch} as {@code har_inference_batch_seconds_bucket/_sum/_count}.
 *
 * <p>Every label combination is registered at zero up front: a series that appears only with its first
 * event makes {@code rate()} and the confusion-matrix queries miss that first increment, and an absent
 * series cannot be told from a broken exporter. No label carries a device id (unbounded cardinality).
 *
 * <p>Meters are looked up once here and kept in maps, so the per-event path does no registry lookups.
 */
public final class HarMetrics {

    public static final String EVENTS = "har.events";
    public static final String DEAD_LETTERS = "har.dead.letters";
    public static final String SERIES_RESTARTS = "har.series.restarts";
    public static final String PREDICTIONS = "har.predictions";
    public static final String INFERENCE_BATCH = "har.inference.batch";
    public static final String INFERENCE_BATCH_SIZE = "har.inference.batch.size";
    public static final String EVENT_TO_PREDICTION = "har.event.to.prediction";
    public static final String MODEL_INFO = "har.model.info";
    /** Scraped as {@code har_model_offline_accuracy_ratio{version, figure}}. */
    public static final String MODEL_OFFLINE_ACCURACY = "har.model.offline.accuracy";
    /** Scraped as {@code har_model_offline_macro_f1_ratio{version, figure}}. */
    public static final String MODEL_OFFLINE_MACRO_F1 = "har.model.offline.macro.f1";

    /** The {@code figure} label of an offline figure measured once on the bundle's held-out test people. */
    public static final String FIGURE_TEST = "test";
    /** The {@code figure} label of the mean over the recipe's leave-subjects-out cross-validation folds. */
    public static final String FIGURE_CV_MEAN = "cv_mean";

    /** The {@code actual} label of windows whose events carried no activity. */
    public static final String UNKNOWN_ACTUAL = "unknown";

    /** What became of one input record; the {@code outcome} label of {@code har_events_total}. */
    public enum Outcome {
        ACCEPTED, REJECTED, DUPLICATE, LATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a device's series started over; the {@code reason} label of {@code har_series_restarts_total}. */
    public enum RestartReason {
        GAP, STEP_BACK;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Which predictions a confusion counter counts; the {@code stage} label of {@code har_predictions_total}:
     * the network's own ({@code raw}), after the per-device smoother ({@code smoothed}, registered only for a
     * bundle that smooths), or after the fixed-lag smoother ({@code lagged}, registered only when a bundle that
     * smooths is served with a smoothing lag; a window is counted when its lagged label is final).
     */
    public enum Stage {
        RAW, SMOOTHED, LAGGED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> events = new EnumMap<>(Outcome.class);
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
    private final Map<RestartReason, Counter> restarts = new EnumMap<>(RestartReason.class);
    /** stage -> actual -> predicted -> counter; actual includes {@link #UNKNOWN_ACTUAL}. */
    private final Map<Stage, Map<String, Map<String, Counter>>> predictions = new EnumMap<>(Stage.class);
    private final Timer inferenceBatch;
    private final DistributionSummary inferenceBatchSize;
    private final Timer eventToPrediction;

    private HarMetrics(MeterRegistry registry, List<String> classes, String modelVersion,
                       BundleManifest.Metrics test, BundleManifest.CrossValidationFigures crossValidation,
                       List<Stage> stages) {
        this.registry = registry;
        for (Outcome o : Outcome.values()) {
            events.put(o, Counter.builder(EVENTS).tag("outcome", o.id())
                    .description("Input records by outcome: accepted into a window, rejected to the dead-letter topic,"
                            + " duplicate of the previous sample, or late (restarted the device's series)")
                    .register(registry));
        }
        for (RejectReason r : RejectReason.values()) {
            deadLetters.put(r, Counter.builder(DEAD_LETTERS).tag("reason", r.id())
                    .description("Records written to the dead-letter topic, by reject reason").register(registry));
        }
        for (RestartReason r : RestartReason.values()) {
            restarts.put(r, Counter.builder(SERIES_RESTARTS).tag("reason", r.id())
                    .description("Device series restarted after a timestamp gap or step back").register(registry));
        }
        for (Stage stage : stages) {
            Map<String, Map<String, Counter>> matrix = new HashMap<>();
            for (String actual : concat(classes, UNKNOWN_ACTUAL)) {
                Map<String, Counter> row = new HashMap<>();
                for (String predicted : classes) {
                    row.put(predicted, Counter.builder(PREDICTIONS).tag("actual", actual).tag("predicted", predicted)
                            .tag("stage", stage.id())
                            .description("Classified windows by true (majority) and predicted activity: the confusion"
                                    + " matrix; actual=\"unknown\" for unlabelled windows; stage=\"raw\" the network's"
                                    + " prediction, stage=\"smoothed\" the same window after the per-device smoother"
                                    + " (only for a bundle that smooths), stage=\"lagged\" after the fixed-lag smoother"
                                    + " (only with a smoothing lag)")
                            .register(registry));
                }
                matrix.put(actual, row);
            }
            predictions.put(stage, matrix);
        }
        inferenceBatch = Timer.builder(INFERENCE_BATCH)
                .description("Wall time of one batched forward pass, preprocessing included")
                .serviceLevelObjectives(millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000))
                .register(registry);
        inferenceBatchSize = DistributionSummary.builder(INFERENCE_BATCH_SIZE)
                .description("Windows classified per batched forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
                .register(registry);
        eventToPrediction = Timer.builder(EVENT_TO_PREDICTION)
                .description("From the Kafka timestamp of the event that completed a window to its prediction"
                        + " being forwarded")
                .serviceLevelObjectives(millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000))
                .register(registry);
        Gauge.builder(MODEL_INFO, () -> 1)
                .description("The loaded model: version and class order")
                .tag("version", modelVersion).tag("classes", String.join(",", classes))
                .register(registry);
        if (test != null) {
            offlineFigure(MODEL_OFFLINE_ACCURACY, modelVersion, FIGURE_TEST, test.testAccuracy());
            offlineFigure(MODEL_OFFLINE_MACRO_F1, modelVersion, FIGURE_TEST, test.macroF1());
        }
        if (crossValidation != null) {
            offlineFigure(MODEL_OFFLINE_ACCURACY, modelVersion, FIGURE_CV_MEAN, crossValidation.meanAccuracy());
            offlineFigure(MODEL_OFFLINE_MACRO_F1, modelVersion, FIGURE_CV_MEAN, crossValidation.meanMacroF1());
        }
    }

    /**
     * Registers every meter at zero in {@code registry}, and the model's offline figures as recorded in its
     * manifest: {@code har_model_offline_accuracy_ratio} and {@code har_model_offline_macro_f1_ratio} with
     * {@code figure="test"} (the bundle's test people) and, when the bundle holds cross-validation figures,
     * {@code figure="cv_mean"}. A figure the manifest lacks (or records as NaN) is not exported, so that
     * an alert comparing against it stays quiet rather than comparing against 0. The confusion counters of
     * {@code stage="smoothed"} exist only when the manifest has a smoothing section.
     */
    public static HarMetrics register(MeterRegistry registry, BundleManifest manifest) {
        return register(registry, manifest, 0);
    }

    /**
     * As {@link #register(MeterRegistry, BundleManifest)}, for a topology that serves the fixed-lag smoother with
     * {@code smoothingLag} windows: with a lag and a manifest that smooths, the counters of {@code stage="lagged"}
     * exist too.
     */
    public static HarMetrics register(MeterRegistry registry, BundleManifest manifest, int smoothingLag) {
        List<Stage> stages = !manifest.smoothed() ? List.of(Stage.RAW)
                : smoothingLag > 0 ? List.of(Stage.RAW, Stage.SMOOTHED, Stage.LAGGED)
                : List.of(Stage.RAW, Stage.SMOOTHED);
        return new HarMetrics(registry, manifest.classes(), manifest.modelVersion(), manifest.metrics(),
                manifest.crossValidation(), stages);
    }

    private void offlineFigure(String name, String modelVersion, String figure, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        String what = name.equals(MODEL_OFFLINE_ACCURACY) ? "accuracy" : "macro-F1 (mean F1 over classes)";
        Gauge.builder(name, () -> value)
                .description("The loaded model's " + what + " as the trainer measured it offline, 0-1:"
                        + " figure=\"test\" on the bundle's held-out test people, figure=\"cv_mean\" the mean over the"
                        + " recipe's leave-subjects-out cross-validation folds (only when the bundle records one)."
                        + " The reference the live figures and alerts are compared with")
                .baseUnit("ratio")
                .tag("version", modelVersion).tag("figure", figure)
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void event(Outcome outcome) {
        events.get(outcome).increment();
    }

    /** A dead letter: counted as a rejected event and under its reason. */
    public void deadLetter(RejectReason reason) {
        events.get(Outcome.REJECTED).increment();
        deadLetters.get(reason).increment();
    }

    public void restart(RestartReason reason) {
        restarts.get(reason).increment();
    }

    /** The network's prediction of a window; @param actual the window's true activity, or null when unlabelled */
    public void prediction(String actual, String predicted) {
        prediction(Stage.RAW, actual, predicted);
    }

    /**
     * A prediction of one stage.
     *
     * @param actual the window's true activity, or null when unlabelled
     * @throws NullPointerException for a stage that was not registered (the bundle does not smooth, no lag)
     */
    public void prediction(Stage stage, String actual, String predicted) {
        predictions.get(stage).get(actual == null ? UNKNOWN_ACTUAL : actual).get(predicted).increment();
    }

    public void inferenceBatch(int windows, long nanos) {
        inferenceBatch.record(nanos, TimeUnit.NANOSECONDS);
        inferenceBatchSize.record(windows);
    }

    public void eventToPrediction(long millis) {
        eventToPrediction.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private static Duration[] millis(long... ms) {
        Duration[] d = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) {
            d[i] = Duration.ofMillis(ms[i]);
        }
        return d;
    }

    private static List<String> concat(List<String> classes, String extra) {
        return Stream.concat(classes.stream(), Stream.of(extra)).toList();
    }
}
