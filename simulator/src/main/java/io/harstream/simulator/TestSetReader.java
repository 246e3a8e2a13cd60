package io.harstream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.data.Dataset;
import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import io.harstream.core.data.SkipReport;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.WindowSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads the trainer's {@code test-set.txt} and turns it into devices: one per person, their phone.
 *
 * <p>A person's recording is cut where the stream-app would restart a series (a gap over {@code maxGapMs} or
 * a step back), with the segmenter the stream-app itself uses, and the parts are replayed one after another
 * on the person's device, each starting {@link #PAUSE_BEYOND_GAP_MS} after the series gap past the previous
 * one's last sample. The recorded breaks are not replayed as they were: in WISDM 2019 they are hours long
 * and often run backwards (the activities were not recorded in file order), which would stall a real-time
 * replay or reach the stream-app as late samples. Every part stays exactly as recorded inside, so every
 * window the stream-app cuts is one the trainer cut from the same file, only moved in time; and the device
 * is the same device throughout, so per-device state that outlasts a series (the walking frame) sees the
 * person's windows in the trainer's order.
 *
 * <p>The gap comes from {@code window.maxGapMs} in the {@code model.json} next to the test set, read as
 * plain JSON: the simulator never loads the model bundle itself.
 */
public final class TestSetReader {

    public static final String TEST_SET_FILE = "test-set.txt";
    /** The compressed form, as a shipped model folder holds it ({@code models/wisdm2019}). */
    public static final String TEST_SET_GZ_FILE = TEST_SET_FILE + ".gz";
    public static final String MANIFEST_FILE = "model.json";
    /** Used when there is no model.json to ask: the trainer's default, {@code WindowSpec.DEFAULT} (a test checks). */
    public static final long DEFAULT_MAX_GAP_MS = 1_000;
    /** How much longer than the series gap the pause between two of a person's series is. */
    public static final long PAUSE_BEYOND_GAP_MS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(TestSetReader.class);

    private TestSetReader() {
    }

    /**
     * @param testSetOrDir a test-set.txt (plain or .gz) or a directory holding test-set.txt or, failing that,
     *                     test-set.txt.gz (the trainer's output, or a shipped model folder)
     * @param maxGapMs     the series gap, or null to take it from model.json next to the test set
     * @throws SimulatorException when there is nothing valid to replay, with the reason in one line
     */
    public static TestSet read(Path testSetOrDir, Long maxGapMs) {
        if (!Files.exists(testSetOrDir)) {
            throw new SimulatorException("test set " + testSetOrDir + " does not exist");
        }
        Path file = Files.isDirectory(testSetOrDir) ? testSetIn(testSetOrDir) : testSetOrDir;
        if (!Files.isRegularFile(file)) {
            throw new SimulatorException(testSetOrDir + " holds no " + TEST_SET_FILE + " or " + TEST_SET_GZ_FILE
                    + " (give the trainer's --out directory or the file itself)");
        }
        long gap = maxGapMs != null ? maxGapMs : manifestMaxGap(siblingManifest(file)).orElseGet(() -> {
            LOG.info("no window.maxGapMs next to {}: series break at gaps over {} ms", file, DEFAULT_MAX_GAP_MS);
            return DEFAULT_MAX_GAP_MS;
        });
        if (gap < 1) {
            throw new SimulatorException("the maximum gap (--max-gap-ms) must be at least 1 ms, got " + gap);
        }
        Dataset dataset;
        try {
            dataset = WisdmV1Reader.read(file, null);
        } catch (IOException e) {
            throw new SimulatorException(e.getMessage(), e); // the reader puts the path in its messages
        }
        if (dataset.recordings().isEmpty()) {
            throw new SimulatorException(dataset.skipped().total() == 0 ? file + " holds no samples (empty file)"
                    : "no valid WISDM v1.1 line in " + file + " (skipped lines by reason: " + dataset.skipped() + ")");
        }
        return split(file, dataset.recordings(), gap, dataset.skipped());
    }

    /** Turns recordings into one device per person; see the class comment. */
    static TestSet split(Path source, List<Recording> recordings, long maxGapMs, SkipReport skipped) {
        Segmenter segmenter = new Segmenter(new WindowSpec(1, 1, maxGapMs), List.of());
        long pause = maxGapMs + PAUSE_BEYOND_GAP_MS;
        Map<String, List<Sample>> perUser = new LinkedHashMap<>();
        long duplicates = 0;
        for (Recording recording : recordings) {
            List<Sample> samples = perUser.computeIfAbsent(recording.user(), u -> new ArrayList<>());
            for (Recording series : segmenter.splitSeries(recording)) {
                // Where the series starts: the recorded time, moved to a pause after the person's previous one.
                long shift = samples.isEmpty() ? 0
                        : samples.get(samples.size() - 1).timestampMs() + pause - series.samples().get(0).timestampMs();
                long last = Long.MIN_VALUE;
                for (Sample s : series.samples()) {
                    // splitSeries keeps exact repeats of the previous sample inside a series (the segmenter
                    // ignores them); leaving them out makes every device's timestamps strictly increasing.
                    if (s.timestampMs() <= last) {
                        duplicates++;
                        continue;
                    }
                    last = s.timestampMs();
                    samples.add(shift == 0 ? s
                            : new Sample(s.timestampMs() + shift, s.x(), s.y(), s.z(), s.activity()));
                }
            }
        }
        List<DeviceSeries> devices = new ArrayList<>();
        perUser.forEach((user, samples) -> devices.add(new DeviceSeries(user, user, samples)));
        return new TestSet(source, maxGapMs, devices, skipped, duplicates);
    }

    private static Path testSetIn(Path dir) {
        Path plain = dir.resolve(TEST_SET_FILE);
        return Files.isRegularFile(plain) ? plain : dir.resolve(TEST_SET_GZ_FILE);
    }

    private static Path siblingManifest(Path testSetFile) {
        Path dir = testSetFile.toAbsolutePath().getParent();
        return dir == null ? Path.of(MANIFEST_FILE) : dir.resolve(MANIFEST_FILE);
    }

    /** {@code window.maxGapMs} from a bundle manifest, or empty when there is no manifest or no such field. */
    static OptionalLong manifestMaxGap(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            return OptionalLong.empty();
        }
        JsonNode gap;
        try {
            gap = new ObjectMapper().readTree(manifest.toFile()).path("window").path("maxGapMs");
        } catch (IOException e) {
            throw new SimulatorException("cannot read window.maxGapMs from " + manifest + ": "
                    + e.getMessage().lines().findFirst().orElse("") + " (or pass --max-gap-ms)", e);
        }
        if (gap.isMissingNode() || gap.isNull()) {
            return OptionalLong.empty();
        }
        if (!gap.canConvertToExactIntegral() || gap.asLong() < 1) {
            throw new SimulatorException("window.maxGapMs in " + manifest + " is not a positive whole number: " + gap
                    + " (or pass --max-gap-ms)");
        }
        LOG.info("series break at gaps over {} ms (window.maxGapMs from {})", gap.asLong(), manifest);
        return OptionalLong.of(gap.asLong());
    }
}
