package io.harstream.streamapp.topology;

import io.harstream.core.data.Activities;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two WISDM datasets' stairs where they meet: events labelled in one dataset's classes reach a model of the
 * other's. Nothing is a dead letter; a 2019 model compares v1.1's up- and downstairs as its Stairs, a v1.1 model
 * classifies a 2019 Stairs window but counts it as unlabelled.
 */
class OtherDatasetLabelsTest {

    private static final long T0 = 1_764_000_000_000L;

    /** har_predictions_total with this actual label, over every predicted class. */
    private static double labelled(TopologyFixture app, String actual) {
        return app.registry.get(HarMetrics.PREDICTIONS).tag("actual", actual).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aStairsModelComparesV1UpAndDownstairsAsStairs() {
        ModelBundle model2019 = TestBundles.tiny(Activities.classes2019("ABCDE"), TestModels.WINDOW, 8, 42);
        try (TopologyFixture app = new TopologyFixture(model2019, 1)) {
            app.sendSeries("up", T0, TestModels.WINDOW.length(), "Upstairs");
            app.sendSeries("down", T0, TestModels.WINDOW.length(), "Downstairs");
            app.closeBatch();
            List<ActivityPrediction> predictions = app.readPredictions();
            assertThat(app.deadLetters.isEmpty()).isTrue();
            assertThat(predictions).hasSize(2).extracting(ActivityPrediction::actual).containsOnly("Stairs");
            assertThat(labelled(app, "Stairs")).isEqualTo(2);
        }
    }

    @Test
    void aV1ModelCountsA2019StairsWindowAsUnlabelled() {
        try (TopologyFixture app = new TopologyFixture(TestModels.untrained(), 1)) {
            app.sendSeries("stairs", T0, TestModels.WINDOW.length(), "Stairs");
            app.closeBatch();
            List<ActivityPrediction> predictions = app.readPredictions();
            assertThat(app.deadLetters.isEmpty()).as("2019's Stairs is not a dead letter for a v1.1 model").isTrue();
            assertThat(predictions).hasSize(1);
            assertThat(predictions.get(0).actual()).isNull();
            assertThat(labelled(app, "unknown")).isEqualTo(1);
        }
    }
}
