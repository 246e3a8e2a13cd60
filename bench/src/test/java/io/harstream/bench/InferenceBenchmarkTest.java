package io.harstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** The harness itself on a toy network, in a second or two: every row and column is printed. */
class InferenceBenchmarkTest {

    @Test
    void printsTheMachineAndEngineTables() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new InferenceBenchmark()).execute("--batches", "1,9", "--threads", "1,2",
                    "--window", "12", "--hidden", "8", "--gemm-size", "32", "--peak-seconds", "0.01", "--reps", "1",
                    "--min-seconds", "0");
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        assertThat(code).isZero();
        assertThat(out).contains("harstream " + System.getProperty("harstream.build.version") + " inference benchmark");
        assertThat(out).containsPattern("cpu: .+, \\d+ cores");
        assertThat(out).contains("FMA peak (FloatVector fma x12 chains), 1 thread", "2 threads", "ND4J sgemm 32x32",
                "windows/s", "fast/DL4J", "Vector API");
        assertThat(out.lines().filter(l -> l.matches("DL4J +\\d.*"))).hasSize(4);
        assertThat(out.lines().filter(l -> l.matches("fast +\\d.*"))).hasSize(4);
        // Batch 1 cannot be split by windows: DL4J runs it on one thread, the fast path splits the layers.
        assertThat(out.lines().filter(l -> l.matches("DL4J +1 +2 \\(1\\) .*"))).hasSize(1);
        assertThat(out.lines().filter(l -> l.matches("fast +1 +2 +\\d.*"))).hasSize(1);
        // The smoothing table: the causal step and each default fixed lag, per batch size.
        assertThat(out.lines().filter(l -> l.matches("causal +\\d+ +\\d.*%"))).hasSize(2);
        for (int lag : new int[] {2, 5, 10}) {
            assertThat(out.lines().filter(l -> l.matches("lag " + lag + " +\\d+ +\\d.*%"))).hasSize(2);
        }
    }

    @Test
    void theCpuIsNamedWithItsFamilyAndModel() throws Exception {
        java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(info)
                && java.nio.file.Files.readString(info).contains("cpu family"), "no /proc/cpuinfo with a cpu family");
        assertThat(InferenceBenchmark.cpuName()).matches(".+ \\(family \\d+, model \\d+\\)");
    }

    @Test
    void helpListsTheOptions() {
        StringWriter help = new StringWriter();
        CommandLine cl = new CommandLine(new InferenceBenchmark());
        cl.setOut(new PrintWriter(help));
        assertThat(cl.execute("--help")).isZero();
        assertThat(help.toString()).contains("--quick", "--batches", "--threads", "--smoothing-lags", "bench-inference");
    }

    @Test
    void theFmaKernelStaysFinite() {
        assertThat(FmaPeak.kernel(100_000)).isFinite().isPositive();
        assertThat(InferenceBenchmark.median(new double[] {3, 1, 2, 10})).isEqualTo(2.5);
    }
}
