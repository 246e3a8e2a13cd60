package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import io.harstream.streamapp.quality.WindowProblem;
import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.harstream.streamapp.topology.TopologyFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The label-free quality signals through the real topology (window 10, hop 5): the confidence histogram, the class
 * prior, the input checks of each window; and a device whose events are partly labelled.
 */
class QualitySignalsTest {

    private static final long T0 = 1_764_000_000_000L;

    private TopologyFixture app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * One device, its events labelled, then unlabelled, then labelled again: every window is classified, a window is
     * labelled with the majority of its labelled samples when it has any, and counted as unknown when it has none.
     */
    @Test
    void labelledAndUnlabelledEventsMixOnOneDevice() {
        app = new TopologyFixture(TestModels.untrained(), 256);
        List<SensorEvent> events = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            String activity = i < 10 ? "Walking" : i < 25 ? null : "Jogging";
            events.add(event("d1", T0 + 50L * i, i, activity));
        }
        List<ActivityPrediction> predictions = app.replay(events, 7);

        assertThat(app.deadLetters.isEmpty()).isTrue();
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(35);
        // windows start at samples 0, 5, ..., 25: [0-9] all Walking, [5-14] 5 Walking + 5 unlabelled, [10-19] and
        // [15-24] unlabelled, [20-29] 5 unlabelled + 5 Jogging, [25-34] all Jogging
        assertThat(predictions).extracting(ActivityPrediction::actual)
                .containsExactly("Walking", "Walking", null, null, "Jogging", "Jogging");
        double unknown = 0;
        double labelled = 0;
        for (String predicted : TestModels.CLASSES) {
            unknown += app.count(HarMetrics.PREDICTIONS, "stage", "raw", "actual", HarMetrics.UNKNOWN_ACTUAL,
                    "predicted", predicted);
            for (String actual : List.of("Walking", "Jogging")) {
                labelled += app.count(HarMetrics.PREDICTIONS, "stage", "raw", "actual", actual, "predicted", predicted);
            }
        }
        assertThat(unknown).as("unlabelled windows").isEqualTo(2);
        assertThat(labelled).as("labelled windows").isEqualTo(4);
        assertThat(confidenceCount()).as("every window, labelled or not, has its confidence").isEqualTo(6);
    }

    /** The histogram's sum is the sum of the records' top probabilities: the expected number of correct ones. */
    @Test
    void confidenceIsTheTopProbabilityOfEachPredictionByPredictedClass() {
        app = new TopologyFixture(TestModels.trained(), 4);
        List<SensorEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event("d1", T0 + 50L * i, i, null));
            events.add(event("d2", T0 + 50L * i, 2 * i + 1, "Jogging"));
        }
        List<ActivityPrediction> predictions = app.replay(events, 11);
        assertThat(predictions).hasSize(2 * 39);

        double expected = 0;
        for (ActivityPrediction p : predictions) {
            float top = 0;
            for (float v : p.probabilities()) {
                top = Math.max(top, v);
            }
            expected += top;
            assertThat(p.probabilities()[TestModels.CLASSES.indexOf(p.predicted())]).isEqualTo(top);
        }
        double sum = 0;
        for (String c : TestModels.CLASSES) {
            DistributionSummary s = app.registry.get(HarMetrics.PREDICTION_CONFIDENCE).tag("predicted", c).summary();
            long n = predictions.stream().filter(p -> p.predicted().equals(c)).count();
            assertThat(s.count()).as("windows predicted %s", c).isEqualTo(n);
            sum += s.totalAmount();
        }
        assertThat(sum).isCloseTo(expected, within(1e-4));
        String scrape = app.registry.scrape();
        assertThat(scrape).contains("# TYPE har_prediction_confidence histogram",
                "har_prediction_confidence_bucket{predicted=\"Sitting\",le=\"0.1\"}",
                "har_prediction_confidence_bucket{predicted=\"Walking\",le=\"1.0\"}");
    }

    @Test
    void thePriorIsExportedForABundleThatSmoothsAndOnlyThen() {
        app = new TopologyFixture(TestModels.withSmoothing(TestModels.untrained(), 0.9), 256);
        String version = app.bundle.manifest().modelVersion();
        for (String c : TestModels.CLASSES) {
            assertThat(app.registry.get(HarMetrics.MODEL_CLASS_PRIOR).tags("version", version, "class", c).gauge()
                    .value()).isCloseTo(1.0 / TestModels.CLASSES.size(), within(1e-12));
        }
        assertThat(app.registry.scrape()).contains("har_model_class_prior_ratio{class=\"Standing\"");
        app.close();
        app = new TopologyFixture(TestModels.untrained(), 256);
        assertThat(app.registry.find(HarMetrics.MODEL_CLASS_PRIOR).gauges()).isEmpty();
    }

    @Test
    void healthyWindowsShowNoProblem() {
        app = new TopologyFixture(TestModels.untrained(), 256);
        app.sendSeries("d1", T0, 30, "Walking");
        app.closeBatch();
        assertThat(app.count(HarMetrics.WINDOWS_CHECKED)).isEqualTo(5);
        for (WindowProblem p : WindowProblem.values()) {
            assertThat(problems(p)).as("%s", p).isZero();
        }
    }

    /** A sensor in g, an axis stuck at one value, a device at 10 Hz: each window counted under its problem. */
    @Test
    void eachInputProblemIsCountedByKind() {
        app = new TopologyFixture(TestModels.untrained(), 256);
        for (int i = 0; i < 20; i++) {
            SensorEvent healthy = event("g", T0 + 50L * i, i, null);
            float g = 9.80665f;
            app.send(new SensorEvent("g", healthy.ts(), healthy.x() / g, healthy.y() / g, healthy.z() / g, null));
            app.send(new SensorEvent("flat", T0 + 50L * i, 0.25f, 9.8f + i % 3, (float) Math.cos(i * 0.2), null));
            SensorEvent slow = event("slow", T0 + 100L * i, i, null);
            app.send(slow);
        }
        app.closeBatch();
        assertThat(app.count(HarMetrics.WINDOWS_CHECKED)).isEqualTo(9);
        assertThat(problems(WindowProblem.GRAVITY_OFF)).isEqualTo(3);
        assertThat(problems(WindowProblem.FLAT_AXIS)).isEqualTo(3);
        assertThat(problems(WindowProblem.RATE_OFF)).isEqualTo(3);
        assertThat(Arrays.stream(WindowProblem.values()).map(WindowProblem::id))
                .allSatisfy(kind -> assertThat(app.registry.scrape()).contains("har_window_problems_total{kind=\"" + kind + "\"}"));
    }

    private double problems(WindowProblem p) {
        return app.count(HarMetrics.WINDOW_PROBLEMS, "kind", p.id());
    }

    private double confidenceCount() {
        return app.registry.find(HarMetrics.PREDICTION_CONFIDENCE).summaries().stream()
                .mapToDouble(DistributionSummary::count).sum();
    }
}
