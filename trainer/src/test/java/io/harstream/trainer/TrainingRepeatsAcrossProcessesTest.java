package io.harstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Two trainings with the same seeds in two JVMs end with the same parameters, bit for bit (2 workers, dropout,
 * augmentation: the defaults). This failed while the LSTM cell used the Vector API's lanewise TANH/EXP: C2's
 * native library and the interpreter's {@link Math} differ in the last bits, and the JIT compiles the kernels
 * at a different step in every run (see core's {@code RationalTanh}).
 */
class TrainingRepeatsAcrossProcessesTest {

    @Test
    void twoRunsWithTheSameSeedsGiveTheSameModel(@TempDir Path dir) throws IOException, InterruptedException {
        List<Process> runs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            runs.add(train(dir.resolve(name)));
        }
        for (int i = 0; i < runs.size(); i++) {
            Process p = runs.get(i);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("training finished").isTrue();
            Path log = dir.resolve(List.of("a", "b").get(i) + ".log");
            assertThat(p.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();
        }
        assertThat(coefficients(dir.resolve("b"))).as("the parameters of the second run")
                .isEqualTo(coefficients(dir.resolve("a")));
    }

    private static Process train(Path out) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), TrainCommand.class.getName(),
                "--data", "synthetic", "--synthetic-users", "6", "--synthetic-seconds", "30", "--epochs", "2",
                "--workers", "2", "--baseline-trees", "0", "--out", out.toString());
        // Output to a file: a pipe nobody reads while the child runs could fill up and stall it.
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static byte[] coefficients(Path out) throws IOException {
        try (ZipFile zip = new ZipFile(out.resolve("model.zip").toFile())) {
            return zip.getInputStream(zip.getEntry("coefficients.bin")).readAllBytes();
        }
    }
}
