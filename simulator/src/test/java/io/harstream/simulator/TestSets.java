package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.data.SkipReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small test sets for the simulator's tests, as files in the trainer's format or as devices. */
final class TestSets {

    /** Recording clock of the fixtures: WISDM-like nanosecond timestamps, in ms. */
    static final long T0 = 49_105_962_326L;
    static final List<String> ACTIVITIES = List.of("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");

    private TestSets() {
    }

    /** One v1.1 line: {@code user,activity,timestamp_ns,x,y,z;}. */
    static String line(String user, String activity, long tsMs, float x, float y, float z) {
        return user + "," + activity + "," + tsMs * 1_000_000L + "," + x + "," + y + "," + z + ";";
    }

    /** {@code n} lines of one user at 20 Hz from {@code startMs}, values derived from the index. */
    static List<String> lines(String user, String activity, long startMs, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(line(user, activity, startMs + 50L * i, i * 0.1f, 9.81f - i * 0.01f, -i * 0.05f));
        }
        return out;
    }

    /**
     * Two users: 1600 walks 10 samples, steps back 200 ms, then jogs 5 more; 1601 sits 8 samples with one
     * exact duplicate after the third, pauses 2 s, then stands 4 more. With a 1000 ms gap: two devices,
     * 1600 (10 + 5) and 1601 (8 + 4), each with one break between its two series.
     */
    static Path twoUsers(Path dir) throws IOException {
        List<String> l = new ArrayList<>(lines("1600", "Walking", T0, 10));
        l.addAll(lines("1600", "Jogging", T0 + 50L * 9 - 200, 5));
        List<String> sitting = lines("1601", "Sitting", T0 + 100_000, 8);
        sitting.add(3, sitting.get(2)); // exact repeat of the previous line
        l.addAll(sitting);
        l.addAll(lines("1601", "Standing", T0 + 100_000 + 50L * 7 + 2_000, 4));
        Path file = dir.resolve("test-set.txt");
        Files.write(file, l);
        return file;
    }

    /**
     * A device of {@code n} (up to 16,000) samples at {@code periodMs} from the recording clock's
     * {@link #T0}; x counts up with the sample index, activities cycle.
     */
    static DeviceSeries device(String id, int n, long periodMs) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new Sample(T0 + periodMs * i, i * 0.01f, 9.81f, -i * 0.01f, ACTIVITIES.get(i % ACTIVITIES.size())));
        }
        return new DeviceSeries(id, id.split("-")[0], samples);
    }

    static TestSet of(List<DeviceSeries> devices, long maxGapMs) {
        return new TestSet(Path.of("memory"), maxGapMs, devices, new SkipReport(), 0);
    }
}
