package io.harstream.streamapp.metrics;

import io.harstream.core.event.RejectReason;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.window.Window;
import io.harstream.streamapp.quality.WindowProblem;
import io.harstream.streamapp.quality.WindowQuality;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    public static final String INFERENCE_CPU = "har.inference.cpu";
    public static final String INFERENCE_BATCH_SIZE = "har.inference.batch.size";
    public static final String EVENT_TO_PREDICTION = "har.event.to.prediction";
    public static final String MODEL_INFO = "har.model.info";
    /** Scraped as {@code har_model_offline_accuracy_ratio{version, figure}}. */
    public static final String MODEL_OFFLINE_ACCURACY = "har.model.offline.accuracy";
    /** Scraped as {@code har_model_offline_macro_f1_ratio{version, figure}}. */
    public static final String MODEL_OFFLINE_MACRO_F1 = "har.model.offline.macro.f1";
    /**
     * Scraped as {@code har_prediction_confidence_bucket/_sum/_count{predicted}}: the network's top probability per
     * window. {@code _sum} is the expected number of correct predictions, so {@code rate(_sum) / rate(_count)} is the
     * expected accuracy, without labels.
     */
    public static final String PREDICTION_CONFIDENCE = "har.prediction.confidence";
    /** Scraped as {@code har_model_class_prior_ratio{version, class}}: the training class prior of the bundle. */
    public static final String MODEL_CLASS_PRIOR = "har.model.class.prior";
    /** Scraped as {@code har_windows_checked_total}: completed windows whose input quality was checked. */
    public static final String WINDOWS_CHECKED = "har.windows.checked";
    /** Scraped as {@code har_window_problems_total{kind}}: checked windows that showed a {@link WindowProblem}. */
    public static final String WINDOW_PROBLEMS = "har.window.problems";
    /** The upper bounds of the confidence histogram's buckets: a top probability is at least 1 / classes. */
    static final double[] CONFIDENCE_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};

    /** The {@code figure} label of an offline figure measured once on the bundle's held-out test people. */
    public static final String FIGURE_TEST = "test";
    /** The {@code figure} label of the mean over the recipe's leave-subjects-out cross-validation folds. */
    public static final String FIGURE_CV_MEAN = "cv_mean";

    /** Scraped as {@code har_model_swaps_total{outcome}}: what became of each change the models topic asked for. */
    public static final String MODEL_SWAPS = "har.model.swaps";
    /** Scraped as {@code har_shadow_agreement_total{agree}}: windows the candidate and the active model classified. */
    public static final String SHADOW_AGREEMENT = "har.shadow.agreement";
    /**
     * Retired models whose confusion counters stay exported (so that their last increments are scraped) before the
     * oldest is removed: keeps the series bounded however many models are published.
     */
    static final int RETIRED_MODELS_KEPT = 4;

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

    /** The part a model plays; the {@code role} label of the per-model meters. */
    public enum Role {
        /** Its predictions are the ones written to the predictions topic. */
        ACTIVE,
        /** Shadow: classifies the same windows, counted and compared, never written as the prediction. */
        CANDIDATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code outcome} label of {@code har_model_swaps_total}. */
    public enum SwapOutcome {
        /** A new active model took over on this instance. */
        ACTIVATED,
        /** A new candidate started classifying in the shadow of the active model. */
        CANDIDATE,
        /** A record of the models topic was refused (not a valid bundle, incompatible, unknown version). */
        REFUSED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<SwapOutcome, Counter> swaps = new EnumMap<>(SwapOutcome.class);
    private final Counter agree;
    private final Counter disagree;
    /** Meters of every model served now or lately, by version and role; insertion order = registration order. */
    private final Map<ModelKey, ModelMeters> models = new LinkedHashMap<>();
    /** Served models that no longer are, oldest first: their counters are removed beyond RETIRED_MODELS_KEPT. */
    private final Deque<ModelKey> retired = new ArrayDeque<>();
    /** The model the meters were registered with ({@link #initialModel}: the meters of a fixed model slot). */
    private final ModelMeters initial;
    private final Map<Outcome, Counter> events = new EnumMap<>(Outcome.class);
    private final Map<RejectReason, Counter> deadLetters = new EnumMap<>(RejectReason.class);
    private final Map<RestartReason, Counter> restarts = new EnumMap<>(RestartReason.class);
    private final Timer inferenceBatch;
    private final DistributionSummary inferenceBatchSize;
    private final Counter inferenceCpu;
    private final Timer eventToPrediction;
    private final Map<String, DistributionSummary> confidence = new HashMap<>();
    private final WindowQuality windowQuality;
    /** Windows of look-ahead of the fixed-lag smoother served (0: none): whether models get lagged counters. */
    private final int smoothingLag;
    private final Counter windowsChecked;
    private final Map<WindowProblem, Counter> windowProblems = new EnumMap<>(WindowProblem.class);

    private HarMetrics(MeterRegistry registry, BundleManifest manifest, int smoothingLag) {
        this.smoothingLag = smoothingLag;
        this.registry = registry;
        // Every model served after this one has the same window and sample rate (ModelCompatibility).
        this.windowQuality = new WindowQuality(manifest.window().length(), manifest.sampleRateHz());
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
        inferenceBatch = Timer.builder(INFERENCE_BATCH)
                .description("Wall time of one batched forward pass, preprocessing included")
                .serviceLevelObjectives(millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000))
                .register(registry);
        // Beside the wall time: on a busy machine a pass waits for a core, and only this says what it cost.
        inferenceCpu = Counter.builder(INFERENCE_CPU).baseUnit("seconds")
                .description("CPU time of the stream threads in batched forward passes, preprocessing included")
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
        for (SwapOutcome o : SwapOutcome.values()) {
            swaps.put(o, Counter.builder(MODEL_SWAPS).tag("outcome", o.id())
                    .description("Changes of the models topic by outcome: a new active model taken over, a new"
                            + " candidate taken into the shadow, or a record refused (see the log for why)")
                    .register(registry));
        }
        for (String c : manifest.classes()) {
            confidence.put(c, confidenceHistogram(c));
        }
        windowsChecked = Counter.builder(WINDOWS_CHECKED)
                .description("Completed windows whose raw samples were checked for input problems (no labels, no"
                        + " model): the denominator of har_window_problems_total")
                .register(registry);
        for (WindowProblem p : WindowProblem.values()) {
            windowProblems.put(p, Counter.builder(WINDOW_PROBLEMS).tag("kind", p.id())
                    .description("Completed windows that showed an input problem, by kind: gravity_off (mean |a| far"
                            + " from 1 g), flat_axis (an axis that does not move), rate_off (the window's time span"
                            + " far from the model's sample rate)")
                    .register(registry));
        }
        agree = agreement(registry, true);
        disagree = agreement(registry, false);
        initial = model(manifest, Role.ACTIVE);
    }

    /**
     * Registers every meter at zero in {@code registry}, and the model's offline figures as recorded in its
     * manifest: {@code har_model_offline_accuracy_ratio} and {@code har_model_offline_macro_f1_ratio} with
     * {@code figure="test"} (the bundle's test people) and, when the bundle holds cross-validation figures,
     * {@code figure="cv_mean"}. A figure the manifest lacks (or records as NaN) is not exported, so that
     * an alert comparing against it stays quiet rather than comparing against 0. The confusion counters of
     * {@code stage="smoothed"} exist only when the manifest has a smoothing section, and so does the class prior
     * ({@code har_model_class_prior_ratio{version, class}}, the smoothing section's prior): a bundle without one
     * records no prior, and the drift score then has nothing to compare with and is not computed (rather than
     * compared with a guessed uniform prior). The window checks use the manifest's window length and sample rate.
     */
    public static HarMetrics register(MeterRegistry registry, BundleManifest manifest) {
        return register(registry, manifest, 0);
    }

    /**
     * As {@link #register(MeterRegistry, BundleManifest)}, for a topology that serves the fixed-lag smoother with
     * {@code smoothingLag} windows: with a lag, every served model that smooths also has the counters of
     * {@code stage="lagged"}.
     */
    public static HarMetrics register(MeterRegistry registry, BundleManifest manifest, int smoothingLag) {
        return new HarMetrics(registry, manifest, smoothingLag);
    }

    private DistributionSummary confidenceHistogram(String predicted) {
        return DistributionSummary.builder(PREDICTION_CONFIDENCE).tag("predicted", predicted)
                .description("The active model's top probability of each classified window, by predicted class"
                        + " (stage raw). _sum over _count is the expected accuracy: the accuracy the model's own"
                        + " probabilities promise, measurable without labels")
                .serviceLevelObjectives(CONFIDENCE_BUCKETS)
                .register(registry);
    }

    private static Counter agreement(MeterRegistry registry, boolean agrees) {
        return Counter.builder(SHADOW_AGREEMENT).tag("agree", Boolean.toString(agrees))
                .description("Windows classified by both the active model and the candidate, by whether their"
                        + " predicted classes agree")
                .register(registry);
    }

    /**
     * The meters of {@code manifest}'s model in {@code role}, registered at zero on first use:
     * {@code har_predictions_total} with {@code model_version} and {@code role} (every class pair of its classes),
     * {@code har_model_info} and the offline figures with {@code version} and {@code role}.
     */
    public synchronized ModelMeters model(BundleManifest manifest, Role role) {
        ModelKey key = new ModelKey(manifest.modelVersion(), role);
        retired.remove(key);
        return models.computeIfAbsent(key, k -> new ModelMeters(registry, manifest, role, smoothingLag > 0));
    }

    /**
     * The models served now: registers their meters (see {@link #model}) and retires every other model's: its
     * info and offline gauges go at once, its confusion counters once more than {@value #RETIRED_MODELS_KEPT}
     * models retired after it, so that the series stay bounded however many models are published.
     *
     * @param candidate null when there is none
     */
    public synchronized void serving(BundleManifest active, BundleManifest candidate) {
        ModelKey a = new ModelKey(active.modelVersion(), Role.ACTIVE);
        ModelKey c = candidate == null ? null : new ModelKey(candidate.modelVersion(), Role.CANDIDATE);
        model(active, Role.ACTIVE);
        if (candidate != null) {
            model(candidate, Role.CANDIDATE);
        }
        for (Map.Entry<ModelKey, ModelMeters> e : models.entrySet()) {
            if (!e.getKey().equals(a) && !e.getKey().equals(c) && !retired.contains(e.getKey())) {
                e.getValue().retireGauges();
                retired.addLast(e.getKey());
            }
        }
        while (retired.size() > RETIRED_MODELS_KEPT) {
            models.remove(retired.removeFirst()).removeCounters();
        }
    }

    /** The meters of the model these meters were registered with, in the active role. */
    public ModelMeters initialModel() {
        return initial;
    }

    /** A change of the models topic and what became of it. */
    public void swap(SwapOutcome outcome) {
        swaps.get(outcome).increment();
    }

    /** A window both the active model and the candidate classified: whether they predicted the same class. */
    public void shadowAgreement(boolean agrees) {
        (agrees ? agree : disagree).increment();
    }

    private record ModelKey(String version, Role role) {
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

    /**
     * The network's probabilities for one window (stage raw): its top probability goes into the confidence
     * histogram of the predicted class (the first of equal tops, as {@code ActivityClassifier.argmax} picks).
     */
    public void confidence(String predicted, float[] probabilities) {
        float top = probabilities[0];
        for (float p : probabilities) {
            top = Math.max(top, p);
        }
        // A model swapped in later may have other classes: their histograms are registered on first use.
        confidence.computeIfAbsent(predicted, this::confidenceHistogram).record(top);
    }

    /** A window the segmenter completed, as cut (the phone's axes): counted, and its input problems by kind. */
    public void windowCompleted(Window window) {
        windowsChecked.increment();
        for (WindowProblem p : windowQuality.problems(window)) {
            windowProblems.get(p).increment();
        }
    }

    /**
     * @param nanos    wall time of the pass
     * @param cpuNanos CPU time of the pass on its thread, or a negative number where the JVM cannot measure it
     */
    public void inferenceBatch(int windows, long nanos, long cpuNanos) {
        inferenceBatch.record(nanos, TimeUnit.NANOSECONDS);
        inferenceBatchSize.record(windows);
        if (cpuNanos >= 0) {
            inferenceCpu.increment(cpuNanos / 1e9);
        }
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

}
