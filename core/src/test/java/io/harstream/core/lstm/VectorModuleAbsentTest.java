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
 * Without {@code --add-modules jdk.incubator.vector} the fast path still works: a child JVM started
 * without the module falls back to plain Java (no class referring to the Vector API is loaded),
 * logs it, and computes the same probabilities as plain Java here.
 */
class VectorModuleAbsentTest {

    @Test
    void fallsBackToPlainJavaWithTheSameResults() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                NoVectorModuleMain.class.getName(), "17");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();

        assertThat(out).contains("module present: false", "vectorApi(): false", "implementation: plain Java")
                .contains("is not available (start java with --add-modules jdk.incubator.vector)")
                .doesNotContain("Exception", "Error");
        List<String> expected = new ArrayList<>();
        LstmNetworkWeights w = NoVectorModuleMain.weights(17);
        for (float[] probs : LstmForward.plainJava(w).probabilities(TestNetworks.features(5, 3, 30, 2), 5, 30)) {
            expected.add("p " + Arrays.toString(probs));
        }
        assertThat(out.lines().filter(l -> l.startsWith("p "))).containsExactlyElementsOf(expected);
    }
}
