package io.harstream.core.data;

import static io.harstream.core.data.WisdmLineParser.EMPTY_LINE;
import static io.harstream.core.data.WisdmLineParser.NON_FINITE;
import static io.harstream.core.data.WisdmLineParser.NON_NUMERIC;
import static io.harstream.core.data.WisdmLineParser.UNKNOWN_ACTIVITY;
import static io.harstream.core.data.WisdmLineParser.WRONG_FIELD_COUNT;
import static io.harstream.core.data.WisdmLineParser.ZERO_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthetic two-subject directory shaped like the real data: one plain and one gzipped file,
 * blocks stored in code order with timestamps jumping backwards between them, the usual 19.86 Hz
 * rate, one 50 Hz block, an unselected activity and (in the second file) malformed lines.
 */
class Wisdm2019ReaderTest {

    private static final long MS = 1_000_000L;
    /** The real files' usual interval: 50.354 ms, 19.86 Hz. */
    private static final long USUAL_NS = 50_354_000L;

    @TempDir
    Path dir;

    @BeforeEach
    void writeSubjects() throws IOException {
        StringBuilder s1700 = new StringBuilder();
        block(s1700, "1700", 'A', 5_000_000_000_000L, USUAL_NS, 100);
        block(s1700, "1700", 'B', 1_000_000_000_000L, 20 * MS, 501);   // 50 Hz, 10 s, earlier counter
        block(s1700, "1700", 'C', 3_000_000_000_000L, USUAL_NS, 80);
        block(s1700, "1700", 'F', 2_000_000_000_000L, USUAL_NS, 30);   // never selected below
        Files.writeString(dir.resolve("data_1700_accel_phone.txt"), s1700);

        StringBuilder s1701 = new StringBuilder();
        block(s1701, "1701", 'A', 7_000_000_000_000L, USUAL_NS, 30);
        s1701.append("1701,A,7000000000001,1.0,2.0,;\n")      // wrong field count
                .append("1701,A,7000000000002,1.0,abc,3.0;\n")   // non-numeric
                .append("\n")                                    // empty
                .append("1701,A,7000000000003,NaN,2.0,3.0;\n")   // non-finite
                .append("1701,A,0,1.0,2.0,3.0;\n")               // zero timestamp
                .append("1701,N,7000000000004,1.0,2.0,3.0;\n");  // unknown code (there is no N)
        block(s1701, "1701", 'A', 7_000_000_000_000L + 30 * USUAL_NS, USUAL_NS, 30);
        block(s1701, "1701", 'C', 6_000_000_000_000L, USUAL_NS, 70);
        block(s1701, "1701", 'D', 6_500_000_000_000L, USUAL_NS, 50);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("data_1701_accel_phone.txt.gz")))) {
            out.write(s1701.toString().getBytes(StandardCharsets.UTF_8));
        }

        // Files a real download has next to the data; none of them may be read.
        Files.writeString(dir.resolve("activity_key.txt"), "walking = A\n");
        Files.writeString(dir.resolve("data_1702_gyro_phone.txt"), "1702,A,1,1.0,2.0,3.0;\n");
    }

    /** Appends {@code n} rows; x is a linear ramp in the sample index so interpolation is checkable. */
    private static void block(StringBuilder sb, String subject, char code, long startNs, long periodNs, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(subject).append(',').append(code).append(',').append(startNs + i * periodNs).append(',')
                    .append(x(i)).append(',').append(-2f * i).append(',').append(9.81f).append(";\n");
        }
    }

    private static float x(int i) {
        return 0.01f * i - 1f;
    }

    private static List<Recording> of(Dataset d, String user, String activity) {
        return d.recordings().stream()
                .filter(r -> r.user().equals(user) && r.samples().get(0).activity().equals(activity))
                .toList();
    }

    @Test
    void everySubjectActivityBlockIsItsOwnRecordingInFileOrder() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, Activities.DEFAULT_2019_CODES);

        assertThat(d.activities()).containsExactly("Walking", "Jogging", "Stairs", "Sitting", "Standing");
        assertThat(d.recordings()).extracting(Recording::user)
                .containsExactly("1700", "1700", "1700", "1701", "1701", "1701");
        assertThat(d.recordings()).extracting(r -> r.samples().get(0).activity())
                .containsExactly("Walking", "Jogging", "Stairs", "Walking", "Stairs", "Sitting");
        assertThat(d.recordings()).allSatisfy(r ->
                assertThat(r.samples()).extracting(Sample::activity).containsOnly(r.samples().get(0).activity()));
        // Not sorted: the Jogging block's counter is earlier than the Walking block's before it.
        assertThat(d.recordings().get(1).samples().get(0).timestampMs())
                .isLessThan(d.recordings().get(0).samples().get(0).timestampMs());
        assertThat(d.source()).contains(dir.toString()).contains("2 files");
    }

    @Test
    void aUsualRateBlockIsLeftUntouched() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, Activities.DEFAULT_2019_CODES);

        List<Sample> walking = of(d, "1700", "Walking").get(0).samples();
        assertThat(walking).hasSize(100);
        for (int i = 0; i < walking.size(); i++) {
            assertThat(walking.get(i)).isEqualTo(new Sample(
                    Math.floorDiv(5_000_000_000_000L + i * USUAL_NS, MS), x(i), -2f * i, 9.81f, "Walking"));
        }
    }

    @Test
    void a50HzBlockIsResampledTo20HzOnALinearRamp() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, Activities.DEFAULT_2019_CODES);

        List<Sample> jogging = of(d, "1700", "Jogging").get(0).samples();
        // 501 samples over exactly 10 s -> 10 s / 50 ms + 1 grid points.
        assertThat(jogging).hasSize(201);
        long start = 1_000_000_000_000L / MS;
        for (int k = 0; k < jogging.size(); k++) {
            Sample s = jogging.get(k);
            assertThat(s.timestampMs()).isEqualTo(start + 50L * k);
            // Grid point k lies 2.5 k input samples in; the ramps are linear, so the values are exact.
            assertThat(s.x()).isCloseTo(0.01f * 2.5f * k - 1f, within(1e-5f));
            assertThat(s.y()).isCloseTo(-2f * 2.5f * k, within(1e-3f));
            assertThat(s.z()).isEqualTo(9.81f);
            assertThat(s.activity()).isEqualTo("Jogging");
        }
        assertThat(d.notes()).contains("resampled 1700/Jogging from 50.0 Hz to 20 Hz (501 -> 201 samples)");
        assertThat(d.notes()).filteredOn(n -> n.startsWith("resampled")).hasSize(1);
    }

    @Test
    void malformedLinesAreCountedAndDoNotSplitTheirBlock() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, Activities.DEFAULT_2019_CODES);

        assertThat(d.skipped().counts()).containsOnly(
                Map.entry(WRONG_FIELD_COUNT, 1L), Map.entry(NON_NUMERIC, 1L), Map.entry(EMPTY_LINE, 1L),
                Map.entry(NON_FINITE, 1L), Map.entry(ZERO_TIMESTAMP, 1L), Map.entry(UNKNOWN_ACTIVITY, 1L));
        List<Recording> walking1701 = of(d, "1701", "Walking");
        assertThat(walking1701).hasSize(1);
        assertThat(walking1701.get(0).size()).isEqualTo(60);
    }

    @Test
    void unselectedActivitiesAreANoteNotASkip() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, Activities.DEFAULT_2019_CODES);

        assertThat(d.recordings()).flatExtracting(Recording::samples).extracting(Sample::activity)
                .doesNotContain("Typing");
        assertThat(d.notes()).contains("left out 30 samples of 1 activities not selected (F; selected ABCDE)");
        assertThat(d.skipped().count("activity not selected")).isZero();
    }

    @Test
    void aSubsetKeepsOnlyItsActivitiesInTheGivenOrder() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, "AC");

        assertThat(d.activities()).containsExactly("Walking", "Stairs");
        assertThat(d.recordings()).extracting(r -> r.user() + "/" + r.samples().get(0).activity())
                .containsExactly("1700/Walking", "1700/Stairs", "1701/Walking", "1701/Stairs");
        assertThat(d.sampleCount()).isEqualTo(100 + 80 + 60 + 70);
        // The 50 Hz block was not selected, so nothing was resampled.
        assertThat(d.notes()).noneMatch(n -> n.startsWith("resampled"));
        assertThat(d.notes()).contains("left out 581 samples of 3 activities not selected (BDF; selected AC)");
    }

    @Test
    void theSubsetOrderIsTheClassOrder() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir, "ca");

        assertThat(d.activities()).containsExactly("Stairs", "Walking");
    }

    @Test
    void readsASingleGzippedFile() throws IOException {
        Dataset d = Wisdm2019Reader.read(dir.resolve("data_1701_accel_phone.txt.gz"), "ACD");

        assertThat(d.recordings()).extracting(Recording::user).containsOnly("1701");
        assertThat(d.recordings()).extracting(Recording::size).containsExactly(60, 70, 50);
        assertThat(d.source()).isEqualTo(dir.resolve("data_1701_accel_phone.txt.gz").toString());
    }

    @Test
    void aRepeatedActivityLaterInTheFileIsANewBlock() throws IOException {
        String text = "1,A,1000000000,1.0,0,0;\n1,A,1050000000,2.0,0,0;\n"
                + "1,B,900000000,3.0,0,0;\n"
                + "1,A,2000000000,4.0,0,0;\n"
                + "2,A,2050000000,5.0,0,0;\n";

        Dataset d = Wisdm2019Reader.read(new StringReader(text), "inline", "AB");

        assertThat(d.recordings()).extracting(Recording::user).containsExactly("1", "1", "1", "2");
        assertThat(d.recordings()).extracting(Recording::size).containsExactly(2, 1, 1, 1);
    }

    @Test
    void resamplesOnlyWhenTheMedianRateIsMoreThan15PercentOff() {
        assertThat(Wisdm2019Reader.NOMINAL_RATE_HZ).isEqualTo(20);
        assertThat(Wisdm2019Reader.NOMINAL_PERIOD_NS).isEqualTo(50 * MS);
        assertThat(Wisdm2019Reader.needsResampling(50_354_000L)).isFalse(); // most files
        assertThat(Wisdm2019Reader.needsResampling(49_980_000L)).isFalse(); // 1637-1640
        assertThat(Wisdm2019Reader.needsResampling(57_000_000L)).isFalse();
        assertThat(Wisdm2019Reader.needsResampling(43_000_000L)).isFalse();
        assertThat(Wisdm2019Reader.needsResampling(39_900_000L)).isTrue();  // 1607
        assertThat(Wisdm2019Reader.needsResampling(20_140_000L)).isTrue();  // 1626 B, G
        assertThat(Wisdm2019Reader.needsResampling(58_000_000L)).isTrue();
        assertThat(Wisdm2019Reader.needsResampling(0)).isFalse();           // a one-sample block
    }

    @Test
    void aMissingPathOrADirectoryWithoutDataFailsWithThePath() throws IOException {
        Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> Wisdm2019Reader.read(missing, "A"))
                .isInstanceOf(IOException.class).hasMessage(missing + ": no such file or directory");

        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> Wisdm2019Reader.read(empty, "A"))
                .isInstanceOf(IOException.class)
                .hasMessage(empty + ": no data_*_accel_*.txt or .txt.gz files in the directory");
    }

    @Test
    void unknownCodesAreRejectedBeforeReading() {
        assertThatThrownBy(() -> Wisdm2019Reader.read(dir, "AN")).isInstanceOf(IllegalArgumentException.class);
    }
}
