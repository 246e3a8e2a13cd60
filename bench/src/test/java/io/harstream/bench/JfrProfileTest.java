package io.harstream.bench;

import io.harstream.core.data.Sample;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.SeriesBuffer;
import io.harstream.core.window.WindowSpec;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JfrProfile} on a real recording of this JVM: a thread that does nothing but turn a series into bytes and
 * back must show up in the series area, and the table names every area.
 */
class JfrProfileTest {

    @Test
    void attributesSamplesToTheAreaOfTheirInnermostKnownFrame(@TempDir Path dir) throws Exception {
        Segmenter segmenter = new Segmenter(WindowSpec.DEFAULT, List.of("Walking"));
        SeriesBuffer series = segmenter.newBuffer();
        for (int i = 0; i < 300; i++) {
            segmenter.offer(series, new Sample(1_764_000_000_000L + 50L * i, i, 9.8f, -i, "Walking"));
        }
        Path file = dir.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            long end = System.nanoTime() + 1_500_000_000L;
            long sink = 0;
            while (System.nanoTime() < end) {
                sink += SeriesBuffer.fromBytes(series.toBytes()).seen();
            }
            recording.stop();
            recording.dump(file);
            assertThat(sink).isPositive();
        }

        JfrProfile.Summary summary = JfrProfile.summarize(file, 5);
        assertThat(summary.areasMs().get("series to/from bytes (SeriesBuffer)"))
                .as("samples in SeriesBuffer\n" + summary.table()).isGreaterThan(0.5 * summary.totalMs());
        assertThat(summary.table()).contains("| inference (fast LSTM, preprocessing) |", "| other |",
                "hottest innermost methods");
    }
}
