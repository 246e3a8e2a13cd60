package io.harstream.core.lstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Vector API path gives the same bits however the JVM runs it: in the interpreter (a child JVM with
 * {@code -Xint}, where every vector operation is the JDK's Java implementation) and compiled by C2 here,
 * after warm-up. The cell activations are plain arithmetic (FMA, multiply, divide, min, max), which the
 * two agree on to the bit; the Vector API's lanewise {@code TANH}/{@code EXP} do not (C2 calls a native
 * library, the interpreter {@link Math}), and a window's first call, made before C2 compiled the kernels,
 * came out a few units in the last place away from later calls.
 */
class JitIndependenceTest {

    static final int WINDOWS = 5;
    static final int STEPS = 30;
    private static final long SEED = 23;

    static float[] features() {
        return TestNetworks.features(WINDOWS, 3, STEPS, 8);
    }

    @Test
    void theInterpreterAndC2GiveTheSameBits() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), InterpretedVectorMain.class.getName(), Long.toString(SEED));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("implementation: Vector API");

        LstmForward compiled = LstmForward.vectorApi(NoVectorModuleMain.weights(SEED)).orElseThrow();
        float[] x = features();
        for (int i = 0; i < 3_000; i++) { // far past C2's compile thresholds for every kernel
            compiled.probabilities(x, WINDOWS, STEPS);
        }
        List<String> expected = new ArrayList<>();
        for (float[] probs : compiled.probabilities(x, WINDOWS, STEPS)) {
            expected.add("p " + Arrays.toString(probs));
        }
        assertThat(out.lines().filter(l -> l.startsWith("p "))).containsExactlyElementsOf(expected);
    }
}
