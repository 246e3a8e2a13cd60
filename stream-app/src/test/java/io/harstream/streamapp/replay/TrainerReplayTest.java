package io.harstream.streamapp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.AxesFrame;
import io.harstream.core.window.Segmenter;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.topology.TopologyFixture;
import io.harstream.streamapp.topology.TopologySettings;
import io.harstream.trainer.TrainCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The central check against the trainer itself: train a (tiny) model with the real {@code harstream
 * train} on synthetic data, replay the {@code test-set.txt} it wrote through the stream-app topology with
 * the bundle it wrote, and the stream must reproduce exactly the confusion matrix in its
 * {@code metrics.json} — in the prediction records and in {@code har_predictions_total} — over exactly
 * its number of test windows. Same windows, same model, same preprocessing, or this fails.
 *
 * <p>The trainer smooths by default: the smoothed predictions, run through each device's smoother in the
 * {@code device-smoothers} store, must reproduce exactly the smoothed confusion matrix in {@code metrics.json} too,
 * in the records' {@code smoothedPredicted} and in {@code har_predictions_total{stage="smoothed"}}.
 *
 * <p>Served with a smoothing lag of 2, 5 or 10 windows, the lagged labels reproduce the trainer's fixed-lag matrices
 * of {@code metrics.json} too.
 *
 * <p>The default recipe reads windows in each person's walking frame, so the trainer's per-person frame and
 * the stream-app's per-device {@code device-frames} store must agree too.
 *
 * <p>The test users' recordings play as concurrently live devices (each moved in time on its own, gaps
 * inside a recording kept, so the stream restarts series itself), interleaved by timestamp, and batches
 * close both on size and on the clock, so they are made up differently from the trainer's evaluation.
 */
class TrainerReplayTest {

    /**
     * Small enough to train in seconds: users 2 and 3 of three held out, each with every activity in two
     * blocks of 6 s, 5 to 30 s apart. Series break only at gaps over 20 s, so some series run across
     * several blocks: windows with mixed labels occur, and with a hop of 10 at 120-sample blocks some of
     * them are 20/20 ties (the lower class index wins, in both paths). The augmentation is pinned to mild
     * rotations: two epochs on this little data with the default's pocket rotations and flips give a model
     * that predicts one class, which would make the comparison meaningless.
     */
    private static final List<String> TRAIN = List.of("--data", "synthetic", "--synthetic-users", "3",
            "--synthetic-seconds", "12", "--window", "40", "--hop", "10", "--max-gap-ms", "20000",
            "--epochs", "2", "--batch-size", "64", "--hidden", "8", "--learning-rate", "0.01", "--seed", "7",
            "--split", "user", "--test-users", "2,3", "--augment", "rotate=30,scale=0.1");

    @TempDir
    Path tmp;

    @Test
    void replayedTestSetReproducesTheTrainersConfusionMatrix() throws IOException {
        Path out = tmp.resolve("model");
        List<String> args = new ArrayList<>(TRAIN);
        args.addAll(List.of("--out", out.toString()));
        CommandLine cl = TrainCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute(args.toArray(String[]::new))).as("trainer exit code; stderr: %s", err).isZero();

        ModelBundle bundle = ModelBundle.load(out);
        assertThat(bundle.axesFrame()).as("the default recipe's frame: per-device state on both sides")
                .isEqualTo(AxesFrame.WALKING);
        JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        List<String> classes = new ArrayList<>();
        metrics.at("/confusionMatrix/classes").forEach(c -> classes.add(c.asText()));
        assertThat(classes).as("metrics.json's class order is the bundle's").isEqualTo(bundle.classes());
        Confusion trainer = Confusion.ofTrainerCounts(metrics.at("/confusionMatrix/counts"), classes);
        assertThat(bundle.manifest().smoothed()).as("the trainer smooths by default").isTrue();
        Confusion trainerSmoothed = Confusion.ofTrainerCounts(metrics.at("/smoothed/confusionMatrix/counts"), classes);
        assertThat(trainerSmoothed.total()).isEqualTo(trainer.total());
        assertThat(trainerSmoothed).as("smoothing changes some predictions").isNotEqualTo(trainer);
        long testWindows = metrics.at("/windows/test").asLong();
        assertThat(trainer.total()).isEqualTo(testWindows);
        assertThat(testWindows).as("test windows").isGreaterThan(200);
        assertThat(trainer.predictedClasses()).as("a model that predicts more than one class").isGreaterThan(1);

        List<Recording> recordings = WisdmV1Reader.read(out.resolve("test-set.txt"), null).recordings();
        assertThat(recordings).as("one recording per test user").hasSize(2);
        Segmenter segmenter = bundle.segmenter();
        int[] mixedAndTied = mixedAndTiedWindows(recordings, segmenter);
        assertThat(mixedAndTied[0]).as("windows with mixed labels").isGreaterThan(10);
        assertThat(mixedAndTied[1]).as("windows with tied labels").isPositive();
        long restarts = recordings.stream().mapToLong(r -> segmenter.splitSeries(r).size() - 1).sum();
        // 2 users x 11 gaps between their 12 blocks: some restart the series, some do not.
        assertThat(restarts).as("series restarts at gaps").isBetween(1L, 2L * 11 - 1);
        // 2 s apart: both devices are live at once, their events interleave.
        Replay replay = Replay.concurrent(recordings, 2_000);
        List<SensorEvent> events = replay.events();
        assertThat(interleavings(events)).as("device changes in the event order").isGreaterThan(events.size() / 5);

        List<ActivityPrediction> predictions;
        try (TopologyFixture app = new TopologyFixture(bundle, 16)) {
            int sent = 0;
            for (SensorEvent e : events) {
                app.send(e);
                // Some batches close on size, some on the clock: every make-up of batch is exercised.
                if (++sent % 97 == 0) {
                    app.advanceClock(Duration.ofMillis(50));
                }
            }
            app.closeBatch();
            predictions = app.readPredictions();
            assertThat(app.deadLetters.isEmpty()).as("no event of the test set is rejected").isTrue();
            assertThat(app.events(HarMetrics.Outcome.ACCEPTED)).as("every event accepted").isEqualTo(events.size());
            assertThat(app.count(HarMetrics.SERIES_RESTARTS, "reason", HarMetrics.RestartReason.GAP.id()))
                    .as("restarts at gaps").isEqualTo(restarts);
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes())).as("har_predictions_total")
                    .isEqualTo(trainer);
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes(), HarMetrics.Stage.SMOOTHED))
                    .as("har_predictions_total{stage=\"smoothed\"}").isEqualTo(trainerSmoothed);
        }

        assertThat(Confusion.of(predictions)).as("prediction records").isEqualTo(trainer);
        assertThat(Confusion.ofSmoothed(predictions)).as("smoothed prediction records").isEqualTo(trainerSmoothed);
        assertThat(predictions).as("predictions").hasSize((int) testWindows);
        Map<WindowKey, String> streamed = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            assertThat(streamed.put(new WindowKey(p.device(), p.windowStart()), p.predicted()))
                    .as("window %s/%d predicted twice", p.device(), p.windowStart()).isNull();
        }
        // The trainer writes no per-window predictions; the offline pass over its test set names them.
        Replay.Offline offline = replay.offline(bundle);
        assertThat(offline.confusion()).as("offline pass over test-set.txt").isEqualTo(trainer);
        assertThat(streamed).as("window by window").isEqualTo(new TreeMap<>(offline.predicted()));
        assertThat(offline.smoothedConfusion()).as("offline smoother over test-set.txt").isEqualTo(trainerSmoothed);

        assertThat(metrics.at("/smoothed/fixedLag")).as("the trainer's fixed lags").hasSize(3);
        for (JsonNode lagged : metrics.at("/smoothed/fixedLag")) {
            int lag = lagged.get("lagWindows").asInt();
            replayWithLagReproducesTheTrainersFixedLagMatrix(bundle, recordings, lag,
                    Confusion.ofTrainerCounts(lagged.at("/confusionMatrix/counts"), classes));
        }
    }

    /**
     * The same test set served with {@code --smoothing-lag}: the lagged labels the records carry, and
     * {@code har_predictions_total{stage="lagged"}}, give exactly the trainer's fixed-lag matrix of that lag. Each
     * test user's recording is followed by one unlabelled window after a pause over the smoother's gap limit, as when
     * a device comes back later: it makes the lagged labels of the recording's last windows final (the trainer ends
     * the series there too), and stays waiting itself.
     */
    private static void replayWithLagReproducesTheTrainersFixedLagMatrix(ModelBundle bundle, List<Recording> recordings,
                                                                         int lag, Confusion trainerLagged) {
        long pause = bundle.smoother().orElseThrow().model().maxGapMs() + 60_000;
        Replay closed = Replay.concurrent(SyntheticRecordings.closedByAPause(recordings,
                bundle.segmenter().spec().length(), pause), 2_000);
        List<ActivityPrediction> predictions;
        try (TopologyFixture app = new TopologyFixture(bundle,
                TopologySettings.defaults().withBatching(16, Duration.ofMillis(50)).withSmoothingLag(lag))) {
            int sent = 0;
            for (SensorEvent e : closed.events()) {
                app.send(e);
                if (++sent % 97 == 0) {
                    app.advanceClock(Duration.ofMillis(50));
                }
            }
            app.closeBatch();
            predictions = app.readPredictions();
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes(), HarMetrics.Stage.LAGGED))
                    .as("har_predictions_total{stage=\"lagged\"}, lag %d", lag).isEqualTo(trainerLagged);
        }
        LaggedLabels.of(predictions);
        Confusion streamed = LaggedLabels.confusion(predictions);
        assertThat(streamed).as("lagged labels of the records, lag %d", lag).isEqualTo(trainerLagged);
    }

    /**
     * Counts the windows whose samples carry more than one activity, and those where two activities tie
     * for the majority, from the samples themselves (each uninterrupted series is cut by position: the
     * synthetic data has no duplicate samples).
     */
    private static int[] mixedAndTiedWindows(List<Recording> recordings, Segmenter segmenter) {
        int length = segmenter.spec().length();
        int hop = segmenter.spec().hop();
        int mixed = 0;
        int tied = 0;
        for (Recording r : recordings) {
            for (Recording series : segmenter.splitSeries(r)) {
                List<Sample> samples = series.samples();
                for (int start = 0; start + length <= samples.size(); start += hop) {
                    Map<String, Integer> votes = new HashMap<>();
                    samples.subList(start, start + length).forEach(s -> votes.merge(s.activity(), 1, Integer::sum));
                    if (votes.size() > 1) {
                        mixed++;
                        int top = Collections.max(votes.values());
                        if (votes.values().stream().filter(v -> v == top).count() > 1) {
                            tied++;
                        }
                    }
                }
            }
        }
        return new int[] {mixed, tied};
    }

    private static int interleavings(List<SensorEvent> events) {
        int changes = 0;
        for (int i = 1; i < events.size(); i++) {
            if (!events.get(i).device().equals(events.get(i - 1).device())) {
                changes++;
            }
        }
        return changes;
    }
}
