package io.harstream.streamapp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.data.Recording;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.AxesFrame;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.topology.TopologyFixture;
import io.harstream.streamapp.topology.TopologySettings;
import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The model shipped in {@code models/wisdm2019} (what the demo and docker compose serve by default): its
 * files are the ones its checksums name, it loads, and it classifies its own test people exactly as its
 * {@code metrics.json} says, offline and through the topology, raw, smoothed and with a fixed smoothing lag.
 */
class ShippedModelTest {

    static final Path DIR = Path.of("..", "models", "wisdm2019");
    private static final long MAX_FOLDER_BYTES = 3L * 1024 * 1024;

    private static ModelBundle bundle;
    private static JsonNode metrics;
    private static List<Recording> recordings;
    private static Replay replay;
    private static Confusion recorded;
    private static Confusion recordedSmoothed;

    @BeforeAll
    static void load() throws IOException {
        bundle = ModelBundle.load(DIR);
        metrics = new ObjectMapper().readTree(DIR.resolve("metrics.json").toFile());
        recordings = WisdmV1Reader.read(DIR.resolve("test-set.txt.gz"), null).recordings();
        replay = Replay.of(recordings);
        List<String> classes = new ArrayList<>();
        metrics.at("/confusionMatrix/classes").forEach(c -> classes.add(c.asText()));
        assertThat(classes).as("metrics.json's class order is the bundle's").isEqualTo(bundle.classes());
        recorded = Confusion.ofTrainerCounts(metrics.at("/confusionMatrix/counts"), classes);
        recordedSmoothed = Confusion.ofTrainerCounts(metrics.at("/smoothed/confusionMatrix/counts"), classes);
    }

    @Test
    void everyFileMatchesItsChecksumAndTheFolderStaysSmall() throws IOException, NoSuchAlgorithmException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("SHA256SUMS"))) {
            if (!line.isBlank()) {
                String[] parts = line.split("\\s+\\*?", 2); // sha256sum's "<hex>  <name>" (or " *<name>")
                sums.put(parts[1], parts[0]);
            }
        }
        List<String> files;
        long bytes = 0;
        try (Stream<Path> list = Files.list(DIR)) {
            files = list.map(f -> f.getFileName().toString()).sorted().toList();
        }
        for (String f : files) {
            bytes += Files.size(DIR.resolve(f));
        }
        assertThat(bytes).as("models/wisdm2019 in bytes").isLessThan(MAX_FOLDER_BYTES);
        assertThat(sums.keySet()).as("files with a checksum").containsExactlyInAnyOrderElementsOf(
                files.stream().filter(f -> !f.equals("SHA256SUMS")).toList());
        for (Map.Entry<String, String> e : sums.entrySet()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(DIR.resolve(e.getKey())));
            assertThat(HexFormat.of().formatHex(digest)).as("sha256 of %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void itIsTheDefaultRecipeOnRealPeopleHeldOutOfTraining() {
        assertThat(bundle.axesFrame()).isEqualTo(AxesFrame.WALKING);
        assertThat(bundle.classes()).containsExactly("Walking", "Jogging", "Stairs", "Sitting", "Standing");
        assertThat(metrics.at("/split/method").asText()).isEqualTo("user");
        List<String> testUsers = new ArrayList<>();
        metrics.at("/split/testUsers").forEach(u -> testUsers.add(u.asText()));
        List<String> trainUsers = new ArrayList<>();
        metrics.at("/split/trainUsers").forEach(u -> trainUsers.add(u.asText()));
        assertThat(testUsers).isNotEmpty().doesNotContainAnyElementsOf(trainUsers);
        assertThat(recordings.stream().map(Recording::user).distinct())
                .as("the test set holds exactly the test people").containsExactlyInAnyOrderElementsOf(testUsers);
    }

    @Test
    void itClassifiesItsTestPeopleExactlyAsRecorded() {
        Replay.Offline offline = replay.offline(bundle);
        assertThat(offline.confusion()).as("offline pass over test-set.txt.gz").isEqualTo(recorded);
        double accuracy = (double) offline.confusion().correct() / offline.confusion().total();
        assertThat(accuracy).isEqualTo(metrics.at("/testAccuracy").asDouble());
        assertThat(accuracy).isEqualTo(bundle.manifest().metrics().testAccuracy());
    }

    @Test
    void theTopologyPredictsTheRecordedConfusionMatrix() {
        List<SensorEvent> events = replay.events();
        List<ActivityPrediction> predictions;
        try (TopologyFixture app = new TopologyFixture(bundle, 64)) {
            predictions = app.replay(events, 1000);
            assertThat(app.deadLetters.isEmpty()).as("no event of the test set is rejected").isTrue();
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes())).as("har_predictions_total")
                    .isEqualTo(recorded);
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes(), HarMetrics.Stage.SMOOTHED))
                    .as("har_predictions_total{stage=\"smoothed\"}: the trainer's smoothed matrix").isEqualTo(recordedSmoothed);
            assertThat(app.events(HarMetrics.Outcome.ACCEPTED)).isPositive();
            confidenceSummed(app, predictions);
        }
        assertThat(Confusion.of(predictions)).as("prediction records").isEqualTo(recorded);
    }

    /**
     * Expected accuracy over the same pass: the confidence histogram holds every prediction's top probability, so its
     * mean (what {@code har:expected_accuracy:*} computes) is the mean top probability of the prediction records;
     * printed beside the realized accuracy for BENCHMARKS.md ("Quality without labels"). How close the two are
     * depends on the model's calibration, which this does not judge.
     */
    private void confidenceSummed(TopologyFixture app, List<ActivityPrediction> predictions) {
        double count = 0;
        double sum = 0;
        for (DistributionSummary s : app.registry.find(HarMetrics.PREDICTION_CONFIDENCE).summaries()) {
            count += s.count();
            sum += s.totalAmount();
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

    /**
     * Served with {@code --smoothing-lag 10}: the offline fixed-lag smoother over the test people (what the trainer
     * evaluates) scores exactly the accuracy {@code metrics.json} records for a lag of 10 (and gives its matrix, where
     * the bundle records one), and the topology's lagged labels, in the records and in
     * {@code har_predictions_total{stage="lagged"}}, give exactly that matrix. Each test person is followed by one
     * window after a long pause, which makes their last windows' lagged labels final.
     */
    @Test
    void servedWithALagItGivesTheRecordedFixedLagFigures() {
        int lag = 10;
        JsonNode recordedLag = null;
        for (JsonNode l : metrics.at("/smoothed/fixedLag")) {
            recordedLag = l.get("lagWindows").asInt() == lag ? l : recordedLag;
        }
        assertThat(recordedLag).as("metrics.json's fixed lag %d", lag).isNotNull();
        Replay.Offline offline = replay.offline(bundle);
        Confusion offlineLagged = new Confusion();
        replay.laggedOffline(bundle, lag).forEach((k, predicted) -> offlineLagged.add(offline.actual().get(k), predicted));
        assertThat((double) offlineLagged.correct() / offlineLagged.total())
                .isEqualTo(recordedLag.get("testAccuracy").asDouble());
        if (recordedLag.has("confusionMatrix")) {
            assertThat(offlineLagged).isEqualTo(Confusion.ofTrainerCounts(recordedLag.at("/confusionMatrix/counts"),
                    bundle.classes()));
        }
        long pause = bundle.smoother().orElseThrow().model().maxGapMs() + 60_000;
        Replay closed = Replay.of(SyntheticRecordings.closedByAPause(recordings, bundle.segmenter().spec().length(),
                pause));
        List<ActivityPrediction> predictions;
        try (TopologyFixture app = new TopologyFixture(bundle,
                TopologySettings.defaults().withBatching(64, Duration.ofMillis(50)).withSmoothingLag(lag))) {
            predictions = app.replay(closed.events(), 1000);
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes(), HarMetrics.Stage.LAGGED))
                    .as("har_predictions_total{stage=\"lagged\"}").isEqualTo(offlineLagged);
        }
        LaggedLabels.of(predictions);
        Confusion streamed = LaggedLabels.confusion(predictions);
        assertThat(streamed).as("lagged labels of the records").isEqualTo(offlineLagged);
    }
}
