package io.harstream.simulator;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import io.harstream.core.data.WisdmV1Reader;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.Window;
import io.harstream.core.window.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class TestSetReaderTest {

    @TempDir
    Path dir;

    @Test
    void oneDevicePerPersonWithEachBreakAShortPause() throws IOException {
        TestSet set = TestSetReader.read(TestSets.twoUsers(dir), null);

        assertThat(set.devices()).extracting(DeviceSeries::device, DeviceSeries::user, DeviceSeries::size)
                .containsExactly(tuple("1600", "1600", 15), tuple("1601", "1601", 12));
        assertThat(set.maxGapMs()).isEqualTo(TestSetReader.DEFAULT_MAX_GAP_MS);
        assertThat(set.duplicatesDropped()).isEqualTo(1);
        assertThat(set.sampleCount()).isEqualTo(27);
        assertThat(set.userCount()).isEqualTo(2);
        // 1600 steps back 200 ms into jogging, 1601 pauses 2 s before standing: both become the 2 s pause
        // (gap 1 s + 1 s), the samples in between as recorded
        List<Long> ts1600 = set.devices().get(0).samples().stream().map(Sample::timestampMs).toList();
        assertThat(ts1600.subList(0, 10))
                .isEqualTo(LongStream.range(0, 10).mapToObj(i -> TestSets.T0 + 50 * i).toList());
        assertThat(ts1600.get(10) - ts1600.get(9)).isEqualTo(2_000);
        assertThat(ts1600.get(14) - ts1600.get(10)).isEqualTo(4 * 50);
        assertThat(set.devices().get(0).samples().subList(10, 15)).extracting(Sample::activity).containsOnly("Jogging");
        List<Long> ts1601 = set.devices().get(1).samples().stream().map(Sample::timestampMs).toList();
        assertThat(ts1601.get(0)).isEqualTo(TestSets.T0 + 100_000);
        assertThat(ts1601.get(8) - ts1601.get(7)).isEqualTo(2_000);
    }

    @Test
    void copiesReplayEachPersonOnSeveralDevices() throws IOException {
        TestSet set = TestSetReader.read(TestSets.twoUsers(dir), null);
        TestSet copied = set.copies(3);
        assertThat(copied.devices()).extracting(DeviceSeries::device)
                .containsExactly("1600-1", "1600-2", "1600-3", "1601-1", "1601-2", "1601-3");
        assertThat(copied.devices().get(4).samples()).isEqualTo(set.devices().get(1).samples());
        assertThat(copied.sampleCount()).isEqualTo(3 * set.sampleCount());
        assertThat(copied.userCount()).isEqualTo(2);
        assertThat(set.copies(1)).isSameAs(set);
        assertThatThrownBy(() -> set.copies(0)).hasMessageContaining("copies must be at least 1");
    }

    @Test
    void aDirectoryWithOnlyAGzippedTestSetIsReadLikeThePlainOne() throws IOException {
        Path plain = TestSets.twoUsers(dir);
        Path shipped = Files.createDirectories(dir.resolve("shipped"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(shipped.resolve("test-set.txt.gz")))) {
            out.write(Files.readAllBytes(plain));
        }
        TestSet fromGz = TestSetReader.read(shipped, null);
        assertThat(fromGz.devices()).usingRecursiveComparison().isEqualTo(TestSetReader.read(plain, null).devices());
    }

    @Test
    void deviceIdsAreDeterministic() throws IOException {
        Path file = TestSets.twoUsers(dir);
        assertThat(TestSetReader.read(file, null)).usingRecursiveComparison()
                .isEqualTo(TestSetReader.read(file, null));
    }

    @Test
    void theGapComesFromModelJsonNextToTheTestSet() throws IOException {
        TestSets.twoUsers(dir);
        Files.writeString(dir.resolve("model.json"),
                "{\"formatVersion\":1,\"window\":{\"length\":200,\"hop\":20,\"maxGapMs\":3000}}");

        TestSet set = TestSetReader.read(dir, null); // the directory: test-set.txt inside it

        assertThat(set.maxGapMs()).isEqualTo(3000);
        assertThat(set.devices()).extracting(DeviceSeries::device, DeviceSeries::size)
                .containsExactly(tuple("1600", 15), tuple("1601", 12));
        // 1601's 2 s gap is no break under a 3 s series gap: kept as recorded; 1600's step back becomes 4 s
        List<Sample> s1601 = set.devices().get(1).samples();
        assertThat(s1601.get(8).timestampMs() - s1601.get(7).timestampMs()).isEqualTo(2_000);
        List<Sample> s1600 = set.devices().get(0).samples();
        assertThat(s1600.get(10).timestampMs() - s1600.get(9).timestampMs()).isEqualTo(4_000);
    }

    @Test
    void anExplicitGapWinsOverModelJson() throws IOException {
        TestSets.twoUsers(dir);
        Files.writeString(dir.resolve("model.json"), "{\"window\":{\"maxGapMs\":3000}}");
        List<Sample> s1601 = TestSetReader.read(dir, 1000L).devices().get(1).samples();
        assertThat(s1601.get(8).timestampMs() - s1601.get(7).timestampMs()).isEqualTo(2_000);
    }

    @Test
    void modelJsonWithoutTheFieldMeansTheDefault() throws IOException {
        TestSets.twoUsers(dir);
        Files.writeString(dir.resolve("model.json"), "{\"formatVersion\":1}");
        assertThat(TestSetReader.read(dir, null).maxGapMs()).isEqualTo(1000);
    }

    @Test
    void aBrokenModelJsonIsReportedWithTheWayOut() throws IOException {
        TestSets.twoUsers(dir);
        Files.writeString(dir.resolve("model.json"), "{\"window\":");
        assertThatThrownBy(() -> TestSetReader.read(dir, null)).isInstanceOf(SimulatorException.class)
                .hasMessageContaining("model.json").hasMessageContaining("--max-gap-ms");
    }

    @Test
    void theDefaultGapIsTheTrainersDefault() {
        assertThat(TestSetReader.DEFAULT_MAX_GAP_MS).isEqualTo(WindowSpec.DEFAULT.maxGapMs());
    }

    @Test
    void badInputIsOneClearMessage() throws IOException {
        assertThatThrownBy(() -> TestSetReader.read(dir.resolve("nope.txt"), null))
                .isInstanceOf(SimulatorException.class).hasMessageContaining("nope.txt does not exist");
        assertThatThrownBy(() -> TestSetReader.read(dir, null))
                .isInstanceOf(SimulatorException.class).hasMessageContaining("holds no test-set.txt or test-set.txt.gz");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertThatThrownBy(() -> TestSetReader.read(empty, null))
                .isInstanceOf(SimulatorException.class).hasMessageContaining("holds no samples");
        Path garbage = Files.writeString(dir.resolve("garbage.txt"), "hello\n1,2,3\n{\"json\":true}\n");
        assertThatThrownBy(() -> TestSetReader.read(garbage, null))
                .isInstanceOf(SimulatorException.class).hasMessageContaining("no valid WISDM v1.1 line")
                .hasMessageContaining("wrong field count");
    }

    /**
     * The point: each person's device, cut as the stream-app cuts it, gives exactly the windows the trainer
     * cut from the whole recordings, in the same order (only moved in time where a break became a pause),
     * so a replay reproduces the trainer's test windows.
     */
    @Test
    void devicesCarryExactlyTheTrainersWindows() throws IOException {
        Random rnd = new Random(3);
        List<String> lines = new ArrayList<>();
        for (String user : List.of("7", "8", "9")) {
            long t = TestSets.T0 + rnd.nextInt(1_000_000);
            for (int i = 0; i < 3_000; i++) {
                int r = rnd.nextInt(1000);
                t += r < 5 ? 1_000 + rnd.nextInt(5_000) : r < 8 ? -rnd.nextInt(3_000) : 45 + rnd.nextInt(11);
                String activity = TestSets.ACTIVITIES.get(i / 400 % 6);
                lines.add(TestSets.line(user, activity, t, rnd.nextFloat() * 20 - 10, rnd.nextFloat() * 20 - 10,
                        rnd.nextFloat() * 20 - 10));
                if (r == 999) {
                    lines.add(lines.get(lines.size() - 1)); // an exact duplicate now and then
                }
            }
        }
        Path file = Files.write(dir.resolve("test-set.txt"), lines);
        Segmenter trainer = new Segmenter(new WindowSpec(40, 10, 1000), TestSets.ACTIVITIES);
        List<Window> expected = new ArrayList<>();
        WisdmV1Reader.read(file, TestSets.ACTIVITIES).recordings().forEach(r -> expected.addAll(trainer.cut(r)));

        List<Window> replayed = new ArrayList<>();
        for (DeviceSeries d : TestSetReader.read(file, 1000L).devices()) {
            replayed.addAll(trainer.cut(new Recording(d.user(), d.samples())));
        }

        assertThat(expected).hasSizeGreaterThan(100);
        assertThat(replayed).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Window e = expected.get(i);
            Window r = replayed.get(i);
            assertThat(List.of(r.endTs() - r.startTs(), r.label())).as("window %d", i)
                    .isEqualTo(List.of(e.endTs() - e.startTs(), e.label()));
            assertThat(Arrays.equals(r.x(), e.x()) && Arrays.equals(r.y(), e.y()) && Arrays.equals(r.z(), e.z()))
                    .as("window %d samples", i).isTrue();
        }
    }
}
