package io.harstream.bench;

import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.WindowSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StreamBenchmarkTest {

    @Test
    void helpListsTheOptions() {
        StringWriter help = new StringWriter();
        CommandLine cl = new CommandLine(new StreamBenchmark());
        cl.setOut(new PrintWriter(help));
        assertThat(cl.execute("--help")).isZero();
        assertThat(help.toString()).contains("bench-stream", "--devices", "--seconds", "--warmup", "--stream-threads",
                "--partitions", "--model", "--app-alone", "--data-seconds", "--repeats", "--bound-seconds", "--jfr",
                "--summarize-jfr");
    }

    @Test
    void rejectsANonPositiveDeviceCount() {
        CommandLine cl = new CommandLine(new StreamBenchmark());
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("--devices", "10,0")).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void refusesTooLittleDataForASteadyPartAndAMissingRecording(@TempDir Path dir) {
        CommandLine cl = new CommandLine(new StreamBenchmark());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        // The default window (200 samples, hop 20) needs 22 s of 20 Hz data per device.
        assertThat(cl.execute("--app-alone", "--data-seconds", "21")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--data-seconds 21 is too short", "at least 22 s");
        assertThat(new CommandLine(new StreamBenchmark()).setErr(new PrintWriter(new StringWriter()))
                .execute("--summarize-jfr", dir.resolve("none.jfr").toString())).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void theChildLogsWithTheStreamAppsConfiguration() throws Exception {
        String config = StreamBenchmark.streamAppLogback();
        try (InputStream in = URI.create(config).toURL().openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("<logger name=\"org.apache.kafka\" level=\"WARN\"/>");
        }
        assertThat(config).contains("stream-app");
    }

    @Test
    void theDefaultModelIsAnUntrainedBundleThatLoads(@TempDir Path dir) throws Exception {
        StreamBenchmark.untrained(WindowSpec.DEFAULT, 8, 1).save(dir);
        ModelBundle loaded = ModelBundle.load(dir);
        assertThat(loaded.manifest().window()).isEqualTo(WindowSpec.DEFAULT);
        assertThat(loaded.classes()).hasSize(6);
        assertThat(loaded.manifest().network().lstmUnits()).isEqualTo(8);
    }
}
