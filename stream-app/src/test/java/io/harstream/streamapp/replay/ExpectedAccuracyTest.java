package io.harstream.streamapp.replay;

import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.topology.TopologyFixture;
import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Expected accuracy over a whole pass of the shipped model's test set through the topology: the confidence
 * histogram the stream-app exports holds every prediction's top probability, so its mean (what
 * {@code har:expected_accuracy:*} computes) is the mean top probability of the prediction records; printed beside
 * the realized accuracy of the same pass for BENCHMARKS.md ("Quality without labels"). How close the two are
 * depends on the model's calibration, which this test does not judge.
 */
class ExpectedAccuracyTest {

    @Test
    void theConfidenceHistogramHoldsEveryPredictionsTopProbability() throws IOException {
        ModelBundle bundle = ModelBundle.load(ShippedModelTest.DIR);
        Replay replay = Replay.of(WisdmV1Reader.read(ShippedModelTest.DIR.resolve("test-set.txt.gz"), null).recordings());
        List<ActivityPrediction> predictions;
        double count = 0;
        double sum = 0;
        try (TopologyFixture app = new TopologyFixture(bundle, 64)) {
            predictions = app.replay(replay.events(), 1000);
            for (DistributionSummary s : app.registry.find(HarMetrics.PREDICTION_CONFIDENCE).summaries()) {
                count += s.count();
                sum += s.totalAmount();
            }
        }
        // The predicted class is the most probable one (QualitySignalsTest checks that the histogram takes the top).
        double top = predictions.stream().mapToDouble(p -> p.probabilities()[p.classes().indexOf(p.predicted())]).sum();
        Confusion realized = Confusion.of(predictions);
        assertThat(count).as("windows in the histogram").isEqualTo(predictions.size()).isEqualTo(realized.total());
        assertThat(sum).as("sum of top probabilities").isCloseTo(top, within(1e-3));
        double expected = sum / count;
        double accuracy = (double) realized.correct() / realized.total();
        assertThat(expected).isBetween(1.0 / bundle.classes().size(), 1.0);
        System.out.printf(Locale.ROOT, "[quality] %s: %d windows, expected accuracy (mean top probability) %.4f,"
                + " realized accuracy %.4f, difference %+.4f%n", bundle.manifest().modelVersion(), predictions.size(),
                expected, accuracy, expected - accuracy);
    }
}
