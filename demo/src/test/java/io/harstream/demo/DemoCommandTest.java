package io.harstream.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.harstream.trainer.TrainCommand;
import io.harstream.trainer.TrainingRequest;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
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

    /** With no model and no training option the demo serves the shipped real-data model: no training. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void byDefaultItServesTheShippedModelAndSaysWhatItIs() throws Exception {
        Path work = tmp.resolve("work");
        int code = run("--work-dir", work.toString(), "--duration", "8", "--refresh", "1", "--speed", "20",
                "--copies", "1", "--http-port", "0", "--no-prometheus", "--plain");
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).doesNotContain("training a model");
        assertThat(work.resolve("model")).doesNotExist();
        assertThat(text).containsPattern("trained on 18 people of .*wisdm-2019.*, default recipe\\n  tested on 1604, "
                + "1622, 1632, 1634 \\(never seen in training\\): offline accuracy 91\\.2 %");
        assertThat(text).contains("  last ", "  offline             91.2 %", "summary:");
    }

    @Test
    void aMissingModelIsOneClearLineAndExitTwo() {
        int code = run("--model", tmp.resolve("nope").toString(), "--work-dir", tmp.resolve("work").toString(),
                "--no-prometheus");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("demo: ").contains("nope").contains("not found");
    }

    /** Without training options the demo trains the trainer's default request: one default for each setting. */
    @Test
    void trainsTheTrainersDefaultRequest() {
        CommandLine cl = DemoCommand.commandLine();
        cl.parseArgs();
        Path dir = tmp.resolve("model");
        assertThat(((DemoCommand) cl.getCommand()).trainingRequest(dir))
                .isEqualTo(TrainingRequest.defaults().withOut(dir));
        cl.parseArgs("--recipe", "original", "--synthetic-seconds", "30", "--epochs", "2");
        TrainingRequest r = ((DemoCommand) cl.getCommand()).trainingRequest(dir);
        assertThat(r.recipe().name()).isEqualTo("custom (from original)");
        assertThat(r.recipe().epochs()).isEqualTo(2);
        assertThat(r.data().syntheticSeconds()).isEqualTo(30);
    }

    /** An option both commands have is the trainer's own: the same default and the same help. */
    @Test
    void optionsSharedWithTheTrainerAreTheTrainers() {
        CommandSpec demo = DemoCommand.commandLine().getCommandSpec();
        CommandSpec train = TrainCommand.commandLine().getCommandSpec();
        List<String> shared = demo.options().stream().map(OptionSpec::longestName)
                .filter(n -> train.findOption(n) != null && !n.equals("--help") && !n.equals("--version")).toList();
        assertThat(shared).contains("--data", "--recipe", "--epochs", "--synthetic-users", "--synthetic-seconds");
        for (String name : shared) {
            assertThat(demo.findOption(name).defaultValueString()).as(name)
                    .isEqualTo(train.findOption(name).defaultValueString());
            assertThat(demo.findOption(name).description()).as(name).isEqualTo(train.findOption(name).description());
        }
    }

    @Test
    void badNumbersAreRefused() {
        assertThat(run("--speed", "0", "--work-dir", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--speed");
    }
}
