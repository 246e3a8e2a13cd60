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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model shipped in {@code models/wisdm2019} (what the demo and docker compose serve by default): its
 * files are the ones its checksums name, it loads, and it classifies its own test people exactly as its
 * {@code metrics.json} says, offline and through the topology, raw and smoothed.
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
        }
        assertThat(Confusion.of(predictions)).as("prediction records").isEqualTo(recorded);
    }
}
