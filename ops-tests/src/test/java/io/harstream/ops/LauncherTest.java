package io.harstream.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code harstream} launcher at the repository root: its version and the jar it runs come from the pom. */
class LauncherTest {

    private static final Path ROOT = Tools.ROOT;
    private static final String VERSION = System.getProperty("harstream.build.version");

    @Test
    void versionPrintsThePomsVersionAsTheCommandsDo() {
        Path bash = Tools.require("bash", "bash");
        assertThat(VERSION).isNotBlank();
        for (String flag : List.of("--version", "-V")) {
            Tools.Result r = Tools.run(List.of(bash.toString(), "harstream", flag), ROOT);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.output()).isEqualTo("harstream " + VERSION + "\n");
        }
    }

    @Test
    void usageListsEveryBenchCommand() {
        Path bash = Tools.require("bash", "bash");
        Tools.Result r = Tools.run(List.of(bash.toString(), "harstream", "--help"), ROOT);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("bench-train", "bench-inference", "bench-stream", "bench-archive", "models",
                "--version");
    }

    /** With a stand-in java that prints its arguments, and no build: the class path names the pom's version. */
    @Test
    void runsTheJarOfThePomsVersion(@TempDir Path tmp) throws IOException {
        Path bash = Tools.require("bash", "bash");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\necho \"JAVA $*\"\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "HARSTREAM_SKIP_BUILD", "1");
        Tools.Result r = Tools.run(List.of(bash.toString(), "harstream", "bench-stream", "--help"), ROOT, env,
                Duration.ofMinutes(1));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.output()).contains("-cp " + ROOT.resolve("bench/target/harstream-bench-" + VERSION + ".jar")
                + ":" + ROOT.resolve("bench/target/lib") + "/* io.harstream.bench.StreamBenchmark --help");
    }
}
