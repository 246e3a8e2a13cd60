package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.WindowSpec;
import io.harstream.core.model.TestBundles;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The models topic through the real topology (TopologyTestDriver, global store included): a new active model takes
 * over at a batch boundary, a candidate classifies the same windows in its shadow, and records that cannot serve are
 * refused while the app keeps serving.
 */
class ModelSwapTest {

    private static final String MODELS = ModelsTopic.DEFAULT_TOPIC;
    private static final String SHADOW = "shadow-predictions";
    private static final long T0 = TopologyFixture.START.toEpochMilli();

    private final ModelBundle first = TestModels.untrained();
    private final ModelBundle second = TestModels.trained();
    private final String v1 = first.manifest().modelVersion();
    private final String v2 = second.manifest().modelVersion();
    private TopologyFixture app;

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    private void start() {
        app = new TopologyFixture(first, 256, new HarTopology.ModelTopics(MODELS, SHADOW));
    }

    private void publish(ModelBundle bundle) {
        app.models.pipeInput(ModelsTopic.bundleKey(bundle.manifest().modelVersion()), TestModels.archive(bundle));
    }

    private void roles(String active, String candidate) {
        app.models.pipeInput(ModelsTopic.ROLES_KEY, TestModels.roles(active, candidate));
    }

    /** {@code windows} windows of device {@code d} starting at {@code from} (10-sample windows, hop 5), then the batch closes. */
    private List<ActivityPrediction> windows(String device, long from, int windows) {
        app.sendSeries(device, from, 10 + 5 * (windows - 1), "Walking");
        app.closeBatch();
        return app.readPredictions();
    }

    private double swaps(HarMetrics.SwapOutcome outcome) {
        return app.count(HarMetrics.MODEL_SWAPS, "outcome", outcome.id());
    }

    private double predictions(String version, String role) {
        return app.registry.get(HarMetrics.PREDICTIONS).tags("model_version", version, "role", role, "stage", "raw")
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aNewActiveModelTakesOverAtTheNextBatch() {
        start();
        List<ActivityPrediction> before = windows("d1", T0, 4);
        publish(second);
        roles(v2, null);
        List<ActivityPrediction> after = windows("d2", T0 + 50L * 25, 4);

        assertThat(before).hasSize(4).allMatch(p -> p.modelVersion().equals(v1));
        assertThat(after).hasSize(4).allMatch(p -> p.modelVersion().equals(v2));
        assertThat(swaps(HarMetrics.SwapOutcome.ACTIVATED)).isEqualTo(1);
        assertThat(swaps(HarMetrics.SwapOutcome.REFUSED)).isZero();
        assertThat(predictions(v1, "active")).isEqualTo(4);
        assertThat(predictions(v2, "active")).isEqualTo(4);
        assertThat(app.registry.scrape()).contains("har_model_info{classes=\"" + String.join(",", second.classes())
                + "\",role=\"active\",version=\"" + v2 + "\"} 1").doesNotContain("version=\"" + v1 + "\"} 1");

        // Rollback: roles name the first again, whose bundle only the store still has (never published here: the
        // baseline came from --model), so it is refused, and v2 keeps serving.
        roles(v1, null);
        assertThat(swaps(HarMetrics.SwapOutcome.REFUSED)).isEqualTo(1);
        assertThat(windows("d3", T0 + 50L * 60, 1)).allMatch(p -> p.modelVersion().equals(v2));
        publish(first);
        roles(v1, null);
        assertThat(windows("d4", T0 + 50L * 80, 1)).allMatch(p -> p.modelVersion().equals(v1));
        assertThat(swaps(HarMetrics.SwapOutcome.ACTIVATED)).isEqualTo(2);
    }

    @Test
    void theCandidateClassifiesTheSameWindowsInTheShadow() {
        start();
        publish(second);
        roles(v1, v2);
        List<ActivityPrediction> active = windows("d", T0, 6);
        List<ActivityPrediction> shadow = app.shadow.readValuesToList().stream().map(PredictionCodec::decode).toList();

        assertThat(active).hasSize(6).allMatch(p -> p.modelVersion().equals(v1));
        assertThat(shadow).hasSize(6).allMatch(p -> p.modelVersion().equals(v2));
        assertThat(shadow.stream().map(ActivityPrediction::windowStart).toList())
                .isEqualTo(active.stream().map(ActivityPrediction::windowStart).toList());
        // The candidate's probabilities are those of its bundle, classifying the same windows offline.
        ActivityClassifier offline = new ActivityClassifier(second.network().clone(), second.preprocessor(), 256);
        ActivityClassifier offlineActive = new ActivityClassifier(first.network().clone(), first.preprocessor(), 256);
        var cut = first.segmenter().cut(new io.harstream.core.data.Recording("d", seriesSamples(T0, 35)));
        float[][] expected = offline.probabilities(cut);
        float[][] expectedActive = offlineActive.probabilities(cut);
        long agree = 0;
        for (int i = 0; i < shadow.size(); i++) {
            assertThat(shadow.get(i).probabilities()).containsExactly(expected[i],
                    org.assertj.core.data.Offset.offset(1e-6f));
            if (ActivityClassifier.argmax(expected[i]) == ActivityClassifier.argmax(expectedActive[i])) {
                agree++;
            }
        }
        assertThat(predictions(v2, "candidate")).isEqualTo(6);
        assertThat(predictions(v1, "active")).isEqualTo(6);
        assertThat(app.count(HarMetrics.SHADOW_AGREEMENT, "agree", "true")).isEqualTo(agree);
        assertThat(app.count(HarMetrics.SHADOW_AGREEMENT, "agree", "false")).isEqualTo(6 - agree);
        assertThat(swaps(HarMetrics.SwapOutcome.CANDIDATE)).isEqualTo(1);

        // Promotion: the candidate becomes active, with no candidate left.
        roles(v2, null);
        assertThat(windows("d", T0 + 50L * 60, 1)).allMatch(p -> p.modelVersion().equals(v2));
        assertThat(app.shadow.isEmpty()).isTrue();
    }

    @Test
    void recordsThatCannotServeAreRefusedAndALaterValidOneIsTaken() {
        start();
        byte[] valid = TestModels.archive(second);
        app.models.pipeInput(ModelsTopic.bundleKey("garbage"), "not a bundle at all".getBytes());
        app.models.pipeInput(ModelsTopic.bundleKey("truncated"), Arrays.copyOf(valid, valid.length / 2));
        app.models.pipeInput(ModelsTopic.bundleKey("future"), TestModels.archive(
                new ModelBundle(second.manifest().withFormatVersion(99).withModelVersion("future"), second.network())));
        app.models.pipeInput(ModelsTopic.bundleKey("other-window"), TestModels.archive(new ModelBundle(
                second.manifest().withWindow(new WindowSpec(20, 10, 1_000)).withModelVersion("other-window"),
                second.network())));
        app.models.pipeInput(ModelsTopic.bundleKey("walking"), TestModels.archive(TestModels.withVersion(
                TestBundles.inFrame(second, AxesFrame.WALKING), "walking")));
        app.models.pipeInput(ModelsTopic.ROLES_KEY, "{not json".getBytes());
        roles("garbage", null);
        assertThat(swaps(HarMetrics.SwapOutcome.REFUSED)).isEqualTo(7);
        assertThat(windows("d", T0, 2)).hasSize(2).allMatch(p -> p.modelVersion().equals(v1));

        publish(second);
        roles(v2, null);
        assertThat(windows("d", T0 + 50L * 40, 2)).hasSize(2).allMatch(p -> p.modelVersion().equals(v2));
        assertThat(swaps(HarMetrics.SwapOutcome.REFUSED)).isEqualTo(7);
        assertThat(swaps(HarMetrics.SwapOutcome.ACTIVATED)).isEqualTo(1);
    }

    @Test
    void aSmoothingModelNeedsATopologyThatSmooths() {
        start();
        ModelBundle smoothing = TestModels.withVersion(TestModels.withSmoothing(second, 0.9), "smooths");
        app.models.pipeInput(ModelsTopic.bundleKey("smooths"), TestModels.archive(smoothing));
        roles("smooths", null);
        assertThat(swaps(HarMetrics.SwapOutcome.REFUSED)).isEqualTo(2);
        assertThat(windows("d", T0, 1)).allMatch(p -> p.modelVersion().equals(v1));
    }

    private static List<io.harstream.core.data.Sample> seriesSamples(long from, int n) {
        List<io.harstream.core.data.Sample> samples = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(TopologyFixture.event("d", from + 50L * i, i, "Walking").toSample());
        }
        return samples;
    }
}
