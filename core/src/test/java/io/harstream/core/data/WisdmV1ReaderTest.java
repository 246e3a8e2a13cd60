package io.harstream.core.data;

import static io.harstream.core.data.WisdmLineParser.EMPTY_LINE;
import static io.harstream.core.data.WisdmLineParser.NON_FINITE;
import static io.harstream.core.data.WisdmLineParser.NON_NUMERIC;
import static io.harstream.core.data.WisdmLineParser.UNKNOWN_ACTIVITY;
import static io.harstream.core.data.WisdmLineParser.WRONG_FIELD_COUNT;
import static io.harstream.core.data.WisdmLineParser.ZERO_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WisdmV1ReaderTest {

    @TempDir
    Path tmp;

    private static Dataset read(String... lines) throws IOException {
        return WisdmV1Reader.read(new StringReader(String.join("\n", lines) + "\n"), "test");
    }

    private static List<Sample> samples(Dataset d) {
        return d.recordings().stream().flatMap(r -> r.samples().stream()).toList();
    }

    @Test
    void readsWellFormedRecordsConvertingNanosecondsToMilliseconds() throws IOException {
        Dataset d = read(
                "33,Jogging,49105962326000,-0.6946377,12.680544,0.50395286;",
                "33,Jogging,49106062271000,5.012288,11.264028,0.95342433;");

        assertThat(d.source()).isEqualTo("test");
        assertThat(d.activities()).isEqualTo(Activities.V1_CLASSES);
        assertThat(samples(d)).containsExactly(
                new Sample(49_105_962L, -0.6946377f, 12.680544f, 0.50395286f, "Jogging"),
                new Sample(49_106_062L, 5.012288f, 11.264028f, 0.95342433f, "Jogging"));
        assertThat(d.skipped().total()).isZero();
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void acceptsARecordWithoutTheFinalSemicolon() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,1.0,2.0,3.0",
                "1,Walking,1050000000,4.0,5.0,6.0;");

        assertThat(samples(d)).extracting(Sample::z).containsExactly(3.0f, 6.0f);
        assertThat(d.skipped().total()).isZero();
        assertThat(d.notes()).containsExactly("accepted 1 lines without a final ';'");
    }

    @Test
    void acceptsExtraSemicolons() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,1.0,2.0,3.0;;",
                ";1,Walking,1050000000,4.0,5.0,6.0;",
                "1,Walking,1100000000,7.0,8.0,9.0;");

        assertThat(samples(d)).extracting(Sample::x).containsExactly(1.0f, 4.0f, 7.0f);
        assertThat(d.skipped().total()).isZero();
        assertThat(d.notes()).containsExactly("accepted 2 lines with extra ';'");
    }

    @Test
    void readsSeveralRecordsOnOneLineInOrder() throws IOException {
        Dataset d = read(
                "33,Jogging,49105962326000,-0.69,12.68,0.50;33,Jogging,49106062271000,5.01,11.26,0.95;",
                "33,Jogging,49106112167000,4.9,10.88,-0.08;");

        assertThat(samples(d)).containsExactly(
                new Sample(49_105_962L, -0.69f, 12.68f, 0.50f, "Jogging"),
                new Sample(49_106_062L, 5.01f, 11.26f, 0.95f, "Jogging"),
                new Sample(49_106_112L, 4.9f, 10.88f, -0.08f, "Jogging"));
        assertThat(d.recordings()).hasSize(1);
        assertThat(d.notes()).containsExactly("split 1 lines holding several records (2 records)");
    }

    @Test
    void skipsRecordsWithAMissingFieldWithoutShiftingTheOthers() throws IOException {
        Dataset d = read(
                "33,Jogging,49105962326000,-0.69,12.68,;",  // trailing comma: z missing
                "33,Jogging,49106062271000,5.01,11.26;",     // five fields
                "33,Jogging,49106112167000,4.9,10.88,-0.08,;", // seven
                "33,Jogging,,4.9,10.88,-0.08;",             // empty timestamp
                "33,Jogging,49106162000000,1.5,2.5,3.5;");

        assertThat(samples(d)).containsExactly(new Sample(49_106_162L, 1.5f, 2.5f, 3.5f, "Jogging"));
        assertThat(d.skipped().counts()).containsExactly(Map.entry(WRONG_FIELD_COUNT, 4L));
        assertThat(d.skipped().firstExamples().get(WRONG_FIELD_COUNT))
                .isEqualTo("line 1: 33,Jogging,49105962326000,-0.69,12.68,");
    }

    @Test
    void aBadRecordOnAMultiRecordLineDoesNotTakeItsNeighboursWithIt() throws IOException {
        Dataset d = read("1,Walking,1000000000,1.0,2.0,;1,Walking,1050000000,4.0,5.0,6.0;");

        assertThat(samples(d)).containsExactly(new Sample(1050L, 4.0f, 5.0f, 6.0f, "Walking"));
        assertThat(d.skipped().count(WRONG_FIELD_COUNT)).isEqualTo(1);
    }

    @Test
    void countsEmptyAndBlankLinesWithoutStoppingTheRecording() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,1.0,2.0,3.0;",
                "",
                "   \t",
                ";",
                "1,Walking,1050000000,4.0,5.0,6.0;");

        assertThat(d.recordings()).hasSize(1);
        assertThat(samples(d)).hasSize(2);
        assertThat(d.skipped().counts()).containsExactly(Map.entry(EMPTY_LINE, 3L));
    }

    @Test
    void skipsNonNumericFields() throws IOException {
        Dataset d = read(
                "u1,Walking,1000000000,1.0,2.0,3.0;",
                "1,Walking,12:00:01,1.0,2.0,3.0;",
                "1,Walking,1000000000,one,2.0,3.0;",
                "1,Walking,1000000000,1.0,2.0,3.0f;", // a Java float literal, not sensor output
                "1,Walking,1100000000,7.0,8.0,9.0;");

        assertThat(samples(d)).containsExactly(new Sample(1100L, 7.0f, 8.0f, 9.0f, "Walking"));
        assertThat(d.skipped().counts()).containsExactly(Map.entry(NON_NUMERIC, 4L));
    }

    @Test
    void skipsNonFiniteValues() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,NaN,2.0,3.0;",
                "1,Walking,1050000000,1.0,Infinity,3.0;",
                "1,Walking,1100000000,1.0,2.0,-Infinity;",
                "1,Walking,1150000000,1.0,2.0,1e60;", // overflows a float
                "1,Walking,1200000000,7.0,8.0,9.0;");

        assertThat(samples(d)).containsExactly(new Sample(1200L, 7.0f, 8.0f, 9.0f, "Walking"));
        assertThat(d.skipped().counts()).containsExactly(Map.entry(NON_FINITE, 4L));
    }

    @Test
    void skipsZeroTimestamps() throws IOException {
        Dataset d = read(
                "1,Walking,0,0.0,0.0,0.0;",
                "1,Walking,1000000000,1.0,2.0,3.0;");

        assertThat(samples(d)).extracting(Sample::timestampMs).containsExactly(1000L);
        assertThat(d.skipped().counts()).containsExactly(Map.entry(ZERO_TIMESTAMP, 1L));
    }

    @Test
    void acceptsOnlyTheExactV1ActivityNames() throws IOException {
        Dataset d = read(
                "1,walking,1000000000,1.0,2.0,3.0;",
                "1,Running,1050000000,1.0,2.0,3.0;",
                "1,Stairs,1100000000,1.0,2.0,3.0;",
                "1, Downstairs ,1150000000,1.0,2.0,3.0;"); // surrounding blanks are not damage

        assertThat(samples(d)).extracting(Sample::activity).containsExactly("Downstairs");
        assertThat(d.skipped().counts()).containsExactly(Map.entry(UNKNOWN_ACTIVITY, 3L));
    }

    @Test
    void countsEachReasonSeparately() throws IOException {
        Dataset d = read(
                "",
                "1,Walking,0,1.0,2.0,3.0;",
                "1,Walking,1000000000,1.0,2.0,;",
                "1,Walking,1000000000,x,2.0,3.0;",
                "1,Walking,1000000000,NaN,2.0,3.0;",
                "1,Flying,1000000000,1.0,2.0,3.0;",
                "1,Walking,1000000000,1.0,2.0,3.0;");

        assertThat(d.skipped().counts()).containsOnly(
                Map.entry(EMPTY_LINE, 1L), Map.entry(ZERO_TIMESTAMP, 1L), Map.entry(WRONG_FIELD_COUNT, 1L),
                Map.entry(NON_NUMERIC, 1L), Map.entry(NON_FINITE, 1L), Map.entry(UNKNOWN_ACTIVITY, 1L));
        assertThat(d.sampleCount()).isEqualTo(1);
    }

    @Test
    void readsJavaStyleExponents() throws IOException {
        Dataset d = read("1,Sitting,1000000000,2.89917E-4,-6.1035156E-5,9.8;");

        assertThat(samples(d)).containsExactly(new Sample(1000L, 2.89917E-4f, -6.1035156E-5f, 9.8f, "Sitting"));
    }

    @Test
    void startsANewRecordingAtEachUserChangeOnly() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,1.0,0,0;",
                "1,Jogging,1050000000,2.0,0,0;",   // activity change: same recording
                "1,Jogging,900000000,3.0,0,0;",    // step back: same recording (segmenter's job)
                "1,Jogging,99000000000,4.0,0,0;",  // gap: same recording
                "2,Jogging,5000000000,5.0,0,0;",
                " 2 ,Jogging,5050000000,6.0,0,0;", // user id trimmed
                "1,Sitting,7000000000,7.0,0,0;");  // user 1 again: a new recording

        assertThat(d.recordings()).extracting(Recording::user).containsExactly("1", "2", "1");
        assertThat(d.recordings()).extracting(Recording::size).containsExactly(4, 2, 1);
        assertThat(d.recordings().get(0).samples()).extracting(Sample::x).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void aSkippedLineDoesNotSplitARecording() throws IOException {
        Dataset d = read(
                "1,Walking,1000000000,1.0,0,0;",
                "2,Walking,1050000000,bad,0,0;",
                "1,Walking,1100000000,2.0,0,0;");

        assertThat(d.recordings()).hasSize(1);
        assertThat(d.recordings().get(0).size()).isEqualTo(2);
    }

    @Test
    void acceptsWindowsLineEndings() throws IOException {
        Dataset d = WisdmV1Reader.read(new StringReader(
                "1,Walking,1000000000,1.0,2.0,3.0;\r\n1,Walking,1050000000,4.0,5.0,6.0\r\n"), "crlf");

        assertThat(samples(d)).extracting(Sample::z).containsExactly(3.0f, 6.0f);
        assertThat(d.skipped().total()).isZero();
    }

    @Test
    void readsPlainAndGzippedFiles() throws IOException {
        String text = "1,Walking,1000000000,1.0,2.0,3.0;\n2,Sitting,2000000000,4.0,5.0,6.0;\n";
        Path plain = tmp.resolve("raw.txt");
        Files.writeString(plain, text);
        Path gz = tmp.resolve("raw.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        Dataset fromPlain = WisdmV1Reader.read(plain);
        Dataset fromGz = WisdmV1Reader.read(gz);

        assertThat(fromGz.recordings()).isEqualTo(fromPlain.recordings());
        assertThat(fromGz.recordings()).extracting(Recording::user).containsExactly("1", "2");
        assertThat(fromGz.source()).isEqualTo(gz.toString());
    }

    @Test
    void aMissingFileFailsWithItsPathInTheMessage() throws IOException {
        Path missing = tmp.resolve("nope.txt");

        assertThatThrownBy(() -> WisdmV1Reader.read(missing))
                .isInstanceOf(IOException.class)
                .hasMessage(missing + ": no such file or directory");
    }

    @Test
    void aFileThatIsNotGzipDespiteItsNameFailsWithItsPath() throws IOException {
        Path fake = Files.writeString(tmp.resolve("plain.txt.gz"), "1,Walking,1000000000,1.0,2.0,3.0;\n");

        assertThatThrownBy(() -> WisdmV1Reader.read(fake))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(fake + ": corrupt or truncated gzip");
    }

    @Test
    void aTruncatedGzipFailsWithItsPathInTheMessage() throws IOException {
        Path gz = tmp.resolve("cut.txt.gz");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            text.append("1,Walking,").append(i * 50_000_000L).append(",1.0,2.0,").append(i).append(";\n");
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> WisdmV1Reader.read(gz))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(gz + " (after line ")
                .hasMessageContaining("corrupt or truncated gzip");
    }
}
