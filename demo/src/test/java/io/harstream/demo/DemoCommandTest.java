package io.harstream.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = DemoCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--model", "--work-dir", "--speed", "--duration", "--malformed-fraction",
                "--[no-]prometheus", "--http-port", "Ctrl-C");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void runsAGivenModelForItsDurationShowsTheViewAndStops() throws Exception {
        Path modelDir = DemoFixtures.modelDir(tmp.resolve("model"));
        int code = run("--model", modelDir.toString(), "--work-dir", tmp.resolve("work").toString(), "--duration", "12",
                "--refresh", "1", "--speed", "20", "--http-port", "0", "--no-prometheus", "--plain",
                "--malformed-fraction", "0.05");
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("harstream demo   model test-3", "events sent", "dead letters", "predictions",
                "confusion matrix so far", "precision", "stopping:", "summary:");
        assertThat(text).containsPattern("summary: [\\d,]+ events sent, [\\d,]+ accepted, [1-9][\\d,]* dead letters, "
                + "[1-9][\\d,]* predictions; streamed accuracy \\d+\\.\\d %");
        assertThat(tmp.resolve("work")).isDirectoryNotContaining("glob:**/run-*");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void withoutAModelItTrainsOneIntoTheWorkDirectoryAndReusesItNextTime() throws Exception {
        Path work = tmp.resolve("work");
        String[] args = {"--work-dir", work.toString(), "--synthetic-users", "3", "--synthetic-seconds", "24",
                "--epochs", "1", "--duration", "4", "--refresh", "1", "--speed", "20", "--http-port", "0",
                "--no-prometheus", "--plain"};
        assertThat(run(args)).as(err.toString()).isZero();
        assertThat(work.resolve("model/model.json")).isRegularFile();
        assertThat(work.resolve("model/test-set.txt")).isRegularFile();
        assertThat(out.toString()).contains("training a model on synthetic", "summary:");
        String manifest = java.nio.file.Files.readString(work.resolve("model/model.json"));

        out.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain("training a model").contains("summary:");
        assertThat(java.nio.file.Files.readString(work.resolve("model/model.json"))).isEqualTo(manifest);
    }

    @Test
    void aMissingModelIsOneClearLineAndExitTwo() {
        int code = run("--model", tmp.resolve("nope").toString(), "--work-dir", tmp.resolve("work").toString(),
                "--no-prometheus");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: ").contains("nope").contains("not found");
    }

    @Test
    void badNumbersAreRefused() {
        assertThat(run("--speed", "0", "--work-dir", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--speed");
    }
}
